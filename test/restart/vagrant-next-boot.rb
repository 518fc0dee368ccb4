# Runs Vagrant's OWN guest code for what happens on every boot of a lab machine (vagrant up, reload, halt + up,
# after a host reboot): guest detection over every guest plugin Vagrant ships, then the guest's
# `configure_networks` capability (virtualbox/action/network.rb and vagrant-libvirt's create_network_interfaces.rb
# both call it on every boot), which asks linux's `network_interfaces` for the guest's sorted NIC list and writes
# the host-only address onto the device at index `interface`.
#
# Nothing of Vagrant is re-implemented here. The machine is a fake: its communicator runs every command Vagrant
# sends in bash inside a sandbox directory, with absolute paths (/etc, /tmp, /sbin, /proc, /sys, /usr) rewritten
# into it and PATH holding only small fake tools (ip, nmcli, systemctl, ps, netplan, ifup, ifdown, chown) that answer
# from the guest layout given on stdin. Each command is recorded.
#
# stdin (JSON):
#   { "sandbox": dir, "osRelease": "<content of /etc/os-release>", "redhatRelease": "..." | null,
#     "network": "networkmanager" | "netplan-networkd" | "ifupdown",
#     "links": [ { "name": "enp0s3", "mac": "08:00:27:..", "managed": true } ... ]   (kernel order, lo excluded),
#     "networks": [ { "interface": 1, "type": "static", "ip": "10.0.0.1", "netmask": "255.255.255.0" } ],
#     "vmNetworks": [ ["private_network", { "ip": "10.0.0.1" }] ] }
# stdout (JSON): { "guest": detected guest name, "chain": [guest names], "interfaces": [sorted NIC list],
#                  "commands": [every command run], "files": { "/etc/...": content } (everything written under /etc) }
require "json"
require "fileutils"
require "open3"
require "vagrant"
# A real vagrant process has YAML loaded before any guest capability runs (a Vagrantfile printing defined?(YAML) under
# `vagrant validate` said "constant"); netplan's configure_networks calls Hash#to_yaml without requiring it.
require "yaml"

input = JSON.parse($stdin.read)
SANDBOX = File.expand_path(input.fetch("sandbox"))
ROOTED = %w[etc tmp sbin proc sys usr bin var run].freeze
COMMANDS = []

# Load every guest plugin Vagrant ships, as Vagrant does at start-up, so detection and capability lookup are its own.
Dir[File.join(Vagrant.source_root, "plugins", "guests", "*", "plugin.rb")].sort.each { |f| require f }

def rooted(cmd)
  cmd.gsub(%r{(?<=\A|[\s'"=(<>|;&])/(#{ROOTED.join("|")})(?=/)}) { "#{SANDBOX}/#{Regexp.last_match(1)}" }
end

# The fake communicator: every command really runs (bash), inside the sandbox.
class SandboxCommunicator
  def run(cmd, error_check: true)
    COMMANDS << cmd
    env = { "PATH" => "#{SANDBOX}/fakebin", "SANDBOX" => SANDBOX, "LANG" => "C" }
    out, err, status = Open3.capture3(env, "/bin/bash", "-c", rooted(cmd))
    yield :stdout, out if block_given? && !out.empty?
    yield :stderr, err if block_given? && !err.empty?
    if error_check && !status.success?
      raise Vagrant::Errors::VagrantError.new, "guest command failed (#{status.exitstatus}): #{cmd}\n#{err}"
    end
    status.exitstatus
  end

  def sudo(cmd, opts = {}, &block) = run(cmd, error_check: opts.fetch(:error_check, true), &block)
  def execute(cmd, opts = {}, &block) = run(cmd, error_check: opts.fetch(:error_check, true), &block)
  def test(cmd, _opts = {}) = run(cmd, error_check: false).zero?
  def wait_for_ready(_timeout) = true
  def ready? = true

  def upload(from, to)
    COMMANDS << "upload #{to}"
    dest = rooted(" #{to}").strip
    FileUtils.mkdir_p(File.dirname(dest))
    FileUtils.cp(from, dest)
  end
end


# The guest, as files and tiny tools in the sandbox.
def write(path, content, mode = 0o644)
  full = File.join(SANDBOX, path)
  FileUtils.mkdir_p(File.dirname(full))
  File.write(full, content)
  File.chmod(mode, full)
end

links = input.fetch("links")
stack = input.fetch("network")
write("etc/os-release", input.fetch("osRelease"))
write("etc/redhat-release", input["redhatRelease"]) if input["redhatRelease"]
if stack == "networkmanager"
  FileUtils.mkdir_p(File.join(SANDBOX, "etc/sysconfig/network-scripts"))
elsif stack == "ifupdown"
  # Debian's own boxes: ifupdown's /etc/network/interfaces, no netplan, networkd inactive (Vagrant's nettools path).
  write("etc/network/interfaces", "auto lo\niface lo inet loopback\n\nallow-hotplug eth0\niface eth0 inet dhcp\n")
else
  FileUtils.mkdir_p(File.join(SANDBOX, "etc/netplan"))
end
write("state/links", links.map { |l| "#{l["name"]} #{l["mac"]} #{l.fetch("managed", true) ? "managed" : "unmanaged"}\n" }.join)
write("proc/net/dev", "Inter-|   Receive                            |  Transmit\n" \
  " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n" +
  (["lo"] + links.map { |l| l["name"] }).map { |n| "#{n.rjust(6)}: 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n" }.join)
FileUtils.mkdir_p(File.join(SANDBOX, "fakebin"))
%w[bash sh cat grep awk sed mv cp chmod mkdir rm tac test true false].each do |t|
  real = ENV.fetch("PATH").split(":").map { |d| File.join(d, t) }.find { |c| File.executable?(c) }
  File.symlink(real, File.join(SANDBOX, "fakebin", t)) if real
end
IP = <<~SH
  #!/bin/bash
  # ip -o -0 addr: one line per link, as iproute2 prints it.
  if [ "$*" = "-o -0 addr" ]; then
    echo '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000\\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00'
    i=1
    while read -r name mac _; do i=$((i + 1)); echo "$i: $name: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP group default qlen 1000\\    link/ether $mac brd ff:ff:ff:ff:ff:ff"; done <"$SANDBOX/state/links"
  fi
  exit 0
SH
write("sbin/ip", IP, 0o755)
write("fakebin/ip", IP, 0o755)
write("fakebin/ps", "#!/bin/bash\necho systemd\n", 0o755)
write("fakebin/chown", "#!/bin/bash\nexit 0\n", 0o755)
write("sbin/ifup", "#!/bin/bash\nexit 0\n", 0o755)
write("sbin/ifdown", "#!/bin/bash\nexit 0\n", 0o755)
if stack == "networkmanager"
  write("fakebin/nmcli", <<~SH, 0o755)
    #!/bin/bash
    # nmcli -t d show DEV: NetworkManager's view of a device; d disconnect: accepted.
    if [ "$1 $2 $3" = "-t d show" ]; then
      line="$(awk -v d="$4" '$1 == d' "$SANDBOX/state/links")"
      [ -n "$line" ] || { echo "Error: Device '$4' not found." >&2; exit 10; }
      echo "GENERAL.DEVICE:$4"
      case "$line" in *" unmanaged") echo "GENERAL.STATE:10 (unmanaged)" ;; *) echo "GENERAL.STATE:100 (connected)" ;; esac
    fi
    exit 0
  SH
  write("fakebin/systemctl", <<~SH, 0o755)
    #!/bin/bash
    [ $# -eq 0 ] && { echo "  NetworkManager.service  loaded active running  Network Manager"; exit 0; }
    case "$*" in *"is-active systemd-networkd"*) exit 3 ;; esac
    exit 0
  SH
elsif stack == "ifupdown"
  write("fakebin/systemctl", <<~SH, 0o755)
    #!/bin/bash
    [ $# -eq 0 ] && { echo "  networking.service  loaded active exited  Raise network interfaces"; exit 0; }
    case "$*" in *"is-active systemd-networkd"*|*"is-active NetworkManager"*) exit 3 ;; esac
    exit 0
  SH
else
  write("fakebin/netplan", "#!/bin/bash\nexit 0\n", 0o755)
  write("fakebin/systemctl", <<~SH, 0o755)
    #!/bin/bash
    [ $# -eq 0 ] && { echo "  systemd-networkd.service  loaded active running  Network Configuration"; exit 0; }
    case "$*" in *"is-active NetworkManager"*) exit 3 ;; esac
    exit 0
  SH
end

FakeVm = Struct.new(:networks, :guest, :communicator)
FakeConfig = Struct.new(:vm)
FakeMachine = Struct.new(:communicate, :config, :guest, :name)

# "configuredGuest": what a Vagrantfile's `config.vm.guest` names (Vagrant's VMConfig#finalize! makes it a symbol);
# nil: Vagrant detects the guest.
configured = input["configuredGuest"]&.to_sym
vm = FakeVm.new(input.fetch("vmNetworks").map { |type, opts| [type.to_sym, opts.transform_keys(&:to_sym)] }, configured)
machine = FakeMachine.new(SandboxCommunicator.new, FakeConfig.new(vm), nil, :node)
manager = Vagrant.plugin("2").manager
guest = Vagrant::Guest.new(machine, manager.guests, manager.guest_capabilities)
machine.guest = guest
guest.detect!
detection_commands = COMMANDS.length

networks = input.fetch("networks").map do |n|
  n = n.transform_keys(&:to_sym)
  n[:type] = n[:type].to_sym
  n
end
interfaces = guest.capability(:network_interfaces)
guest.capability(:configure_networks, networks)

files = {}
Dir.glob(File.join(SANDBOX, "etc", "**", "*")).sort.each do |f|
  next unless File.file?(f)
  files[f.delete_prefix(SANDBOX)] = File.read(f)
end
puts JSON.generate({
  guest: guest.name.to_s,
  chain: guest.capability_host_chain.map { |name, _| name.to_s },
  interfaces: interfaces,
  commands: COMMANDS,
  detectionCommands: detection_commands,
  files: files,
})
