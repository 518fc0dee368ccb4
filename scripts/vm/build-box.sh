#!/usr/bin/env bash
# Builds the Debian 13 (trixie) vagrant-libvirt box the real-VM test boots (test-vm/), from Debian's packages only,
# following /work/shared/real-vm-recipe.md. Cached by content: the output directory is named after a hash
# of this script, so a changed script or package list builds a new box and an unchanged one is reused.
#
# Usage: scripts/vm/build-box.sh CACHE_DIR
#   prints the box directory (CACHE_DIR/box-<hash>) on stdout; it holds
#     debian13.box   the box (metadata.json, Vagrantfile, box.img qcow2)
#     vmlinuz        the guest kernel, booted directly by libvirt (no bootloader in the image)
#     initrd.img     its initrd (MODULES=list: virtio + ext4 only, about 6 MB)
#     dpkg-status    the image's /var/lib/dpkg/status, so the package repository holds exactly what is missing
#     box.env        BOX_HASH, KERNEL_VERSION
# Needs root, mmdebstrap, mkfs.ext4 (e2fsprogs), qemu-img (qemu-utils) and Debian's vagrant package (its
# insecure public key). Touches nothing outside CACHE_DIR (a scratch directory under it is removed on exit).
set -euo pipefail

die() { echo "build-box: $*" >&2; exit 1; }
[ $# -eq 1 ] || { echo "usage: $0 CACHE_DIR" >&2; exit 2; }
[ "$(id -u)" = 0 ] || die "needs root (mmdebstrap in root mode, mkfs.ext4 -d with the image's owners)"
for tool in mmdebstrap mkfs.ext4 qemu-img tar sha256sum; do command -v "$tool" >/dev/null || die "$tool is not installed"; done

# The packages of the image, on top of Debian's "important" priority set. Everything provisioning installs
# (containerd, curl, ...) is deliberately NOT here: the test serves it from its own package repository.
# trixie, not the recipe's bookworm: bookworm's containerd (1.6.20) is below the floor of every Kubernetes minor
# labgen pins (src/lab/containerd-versions.ts, from containerd's RELEASES.md), trixie's 1.7.24 meets 1.32 and 1.33.
readonly SUITE=trixie
# ca-certificates as every published Debian box has it (its trigger rehashes ~150 certificates: minutes under
# emulation when provisioning installs it instead).
readonly INCLUDE=systemd-sysv,openssh-server,linux-image-amd64,iproute2,sudo,iputils-ping,procps,rsync,dbus,ca-certificates
# The host's own Debian sources (deb.debian.org, the only mirror this machine reaches).
readonly MIRRORS=(
  "deb http://deb.debian.org/debian $SUITE main"
  "deb http://deb.debian.org/debian $SUITE-updates main"
  "deb http://deb.debian.org/debian-security $SUITE-security main"
)
# Vagrant's insecure public key, as Debian's vagrant gem ships it (keys/vagrant.pub).
VAGRANT_PUB="$(find /usr/share/rubygems-integration/all/gems -path "*/vagrant-*/keys/vagrant.pub" 2>/dev/null | sort | head -n 1)"
[ -n "$VAGRANT_PUB" ] || die "Vagrant's insecure key (keys/vagrant.pub in Debian's vagrant package) not found: apt-get install vagrant"

# stdout carries the box directory and nothing else (the caller reads it): every tool's own output goes to stderr
# (mkfs.ext4 prints "Creating regular file ..." on stdout, even with -q, when it creates the image file).
exec 3>&1 1>&2
cache="$1"
mkdir -p "$cache"
hash="$(sha256sum "$0" | cut -c1-16)"
out="$cache/box-$hash"
if [ -s "$out/debian13.box" ] && [ -s "$out/box.env" ]; then
  echo "build-box: cached box $out" >&2
  echo "$out" >&3
  exit 0
fi

work="$(mktemp -d "$cache/.build-XXXXXX")"
# mmdebstrap unmounts what it mounted in the image before it exits; never rm -rf through a mount that is left.
cleanup() { if findmnt -rno TARGET | grep -q "^$work/"; then echo "build-box: mounts left under $work; not removing it" >&2; else rm -rf "$work"; fi; }
trap cleanup EXIT
root="$work/root"


cat >"$work/customize.sh" <<'HOOK'
#!/usr/bin/env bash
set -euo pipefail
r="$1"
pub="$2"
inroot() { chroot "$r" "$@"; }
# vagrant user with password-less sudo and Vagrant's insecure key (Vagrant swaps it for a fresh one on first up).
inroot useradd -m -s /bin/bash vagrant
printf 'vagrant ALL=(ALL) NOPASSWD: ALL\nDefaults:vagrant !requiretty\n' >"$r/etc/sudoers.d/vagrant"
chmod 0440 "$r/etc/sudoers.d/vagrant"
install -d -m 0700 "$r/home/vagrant/.ssh"
install -m 0600 "$pub" "$r/home/vagrant/.ssh/authorized_keys"
inroot chown -R vagrant:vagrant /home/vagrant/.ssh
# The root file system is the whole virtio disk (no partition table, no bootloader: libvirt boots the kernel).
echo '/dev/vda / ext4 defaults,errors=remount-ro 0 1' >"$r/etc/fstab"
# DHCP on eth0 only: Vagrant writes 50-vagrant-eth1.network for NIC2, and networkd uses the first file matching.
cat >"$r/etc/systemd/network/10-eth0.network" <<'NET'
[Match]
Name=eth0

[Network]
DHCP=ipv4
NET
inroot systemctl enable systemd-networkd.service
inroot systemctl disable systemd-networkd-wait-online.service
inroot systemctl mask systemd-networkd-wait-online.service
# ifupdown would also try eth0: only lo there.
printf 'auto lo\niface lo inet loopback\n' >"$r/etc/network/interfaces" 2>/dev/null || true
# Each VM gets its own machine-id at first boot, hence its own DHCP identity.
: >"$r/etc/machine-id"
rm -f "$r/var/lib/dbus/machine-id"
# SSH host keys: none in the image, generated at each VM's first boot.
rm -f "$r"/etc/ssh/ssh_host_*
install -d "$r/etc/systemd/system/ssh.service.d"
# Ed25519 and ECDSA only: `ssh-keygen -A` also makes a 3072-bit RSA key, and under emulation ssh.service took 35-42 s
# of the first boot (systemd-analyze blame in both guests, 2026-12-02), on the way to Vagrant's first SSH. Vagrant's
# net-ssh (7.0.1 in Debian) takes either (ssh-ed25519 first).
printf '[Service]\nExecStartPre=\nExecStartPre=/bin/sh -c %s\nExecStartPre=/usr/sbin/sshd -t\n' \
  "'for t in ed25519 ecdsa; do [ -s /etc/ssh/ssh_host_\$\${t}_key ] || ssh-keygen -q -t \$\$t -N \"\" -f /etc/ssh/ssh_host_\$\${t}_key; done'" \
  >"$r/etc/systemd/system/ssh.service.d/10-host-keys.conf"
printf 'UseDNS no\nHostKey /etc/ssh/ssh_host_ed25519_key\nHostKey /etc/ssh/ssh_host_ecdsa_key\n' >"$r/etc/ssh/sshd_config.d/10-vagrant.conf"
# Fewer units at boot: under emulation each one costs about a second. Measured on the 2-core machine, one guest
# alone, a serial console timestamped on the host (/tmp-only experiment, 2026-12-02): sshd listening 96 s after
# power-on with these, 84 s without. None of them is a part of what the test checks: cron, ifupdown (networkd runs
# the NICs), the daily timers, the first-boot rebuilds of the linker and journal catalogues (ConditionNeedsUpdate:
# the image's /etc and /var are up to date), drivers for devices a lab never uses.
inroot systemctl set-default multi-user.target
inroot systemctl mask cron.service e2scrub_reap.service networking.service ifupdown-pre.service \
  apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer fstrim.timer dpkg-db-backup.timer logrotate.timer
touch "$r/etc/.updated" "$r/var/.updated"
printf 'blacklist %s\n' floppy parport_pc pcspkr bochs cirrus-qemu cfg80211 >"$r/etc/modprobe.d/labgen-box.conf"
# A small initrd: only what a virtio disk and an ext4 root need.
sed -i 's/^MODULES=.*/MODULES=list/' "$r/etc/initramfs-tools/initramfs.conf"
printf 'virtio_pci\nvirtio_blk\nvirtio_net\next4\n' >>"$r/etc/initramfs-tools/modules"
inroot update-initramfs -u -k all
echo debian13 >"$r/etc/hostname"
# apt inside the VMs: no repository until provisioning points it at a mirror (the VMs have no internet).
: >"$r/etc/apt/sources.list"
rm -f "$r"/etc/apt/sources.list.d/*
inroot apt-get clean
rm -rf "$r"/var/lib/apt/lists/*
# dpkg without fsync after every file, as Debian's own container images do (debuerreotype): the guests are
# throw-away and every fsync is slow on an emulated disk.
echo force-unsafe-io >"$r/etc/dpkg/dpkg.cfg.d/labgen-unsafe-io"
HOOK
chmod 0755 "$work/customize.sh"

start=$SECONDS
echo "build-box: mmdebstrap $SUITE ($INCLUDE)" >&2
mmdebstrap --mode=root --variant=important --include="$INCLUDE" \
  --customize-hook="$work/customize.sh \"\$1\" $VAGRANT_PUB" \
  "$SUITE" "$root" "${MIRRORS[@]}" </dev/null >"$work/mmdebstrap.log" 2>&1 \
  || { tail -n 40 "$work/mmdebstrap.log" >&2; die "mmdebstrap failed (log above)"; }

box="$work/box"
mkdir -p "$box"
kver="$(find "$root/lib/modules" -mindepth 1 -maxdepth 1 -printf "%f\n" | sort -V | tail -n 1)"
[ -n "$kver" ] || die "no kernel in the image"
cp "$root/boot/vmlinuz-$kver" "$box/vmlinuz"
cp "$root/boot/initrd.img-$kver" "$box/initrd.img"
cp "$root/var/lib/dpkg/status" "$box/dpkg-status"
# After mmdebstrap, which leaves the build host's own resolver in /etc/resolv.conf: an address the VMs cannot reach,
# so every name lookup in a guest waited for its timeout (sudo resolving the box's hostname took 10 s per command
# before Vagrant renamed the host: seen in a guest's journal, 2026-12-02). The VMs reach everything by address; with no
# nameserver a lookup fails at once (glibc tries 127.0.0.1). The hostname on 127.0.1.1, as Debian's installer writes
# it (and cloud-init's Debian hosts template).
rm -f "$root/etc/hosts" "$root/etc/resolv.conf"
printf '127.0.0.1\tlocalhost\n127.0.1.1\tdebian13\n::1\t\tlocalhost ip6-localhost ip6-loopback\nff02::1\t\tip6-allnodes\nff02::2\t\tip6-allrouters\n' >"$root/etc/hosts"
printf '# No nameserver: the lab VMs of the real-VM test reach their mirrors by address.\n' >"$root/etc/resolv.conf"
mkfs.ext4 -q -F -L root -d "$root" "$work/disk.raw" 8G
rm -rf "$root"
# Not compressed (-c): every guest reads its root through this backing file, and a compressed qcow2 costs a zlib
# inflate per cluster read, on emulated CPUs. The .box tarball is gzipped anyway.
qemu-img convert -f raw -O qcow2 "$work/disk.raw" "$work/box.img"
rm -f "$work/disk.raw"
printf '{"provider":"libvirt","format":"qcow2","virtual_size":8}\n' >"$work/metadata.json"
# The box sets nothing: every libvirt setting the VMs need (driver, CPU model, kernel, ...) comes from the lab file.
printf 'Vagrant.configure("2") do |config|\nend\n' >"$work/Vagrantfile"
tar -C "$work" -czf "$box/debian13.box" metadata.json Vagrantfile box.img
printf 'BOX_HASH=%s\nKERNEL_VERSION=%s\n' "$hash" "$kver" >"$box/box.env"
rm -rf "$out"
mv "$box" "$out"
echo "build-box: built $out in $((SECONDS - start)) s (kernel $kver, initrd $(du -k "$out/initrd.img" | cut -f1) KiB, box $(du -m "$out/debian13.box" | cut -f1) MiB)" >&2
echo "$out" >&3
