// Evaluates a rendered Vagrantfile with real Ruby against a recording stand-in for Vagrant's config objects,
// so tests read back the values Vagrant would receive (per machine) instead of grepping Ruby text.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './exec.js';
import { tempDir } from './render.js';

const RECORDER = String.raw`
require 'json'
class LabgenRec < BasicObject
  def initialize(log, path) @log = log; @path = path end
  def method_missing(m, *a, **kw, &b)
    name = m.to_s
    if name.end_with?('=')
      @log << { 'path' => (@path + [name.chomp('=')]).join('.'), 'set' => a[0] }
      return a[0]
    end
    seg = b ? "#{name}(#{a.first})" : name
    child = ::LabgenRec.new(@log, @path + [seg])
    @log << { 'path' => (@path + [name]).join('.'), 'args' => a, 'kw' => kw.transform_keys(&:to_s) } unless a.empty? && kw.empty?
    b.call(child) if b
    child
  end
  def respond_to_missing?(*) true end
end
module Vagrant
  def self.require_version(*) end
  def self.configure(_v) $labgen_log = []; yield LabgenRec.new($labgen_log, []) end
end
load ARGV[0]
print JSON.generate($labgen_log)
`;

/** One recorded configuration call: `path` like `vm.define(master).vm.network`, with args/kw, or a `set` value. */
export interface VagrantCall { path: string; set?: unknown; args?: unknown[]; kw?: Record<string, unknown> }

/** Loads the Vagrantfile in dir with `ruby` and returns every configuration call it made. */
export function evalVagrantfile(dir: string): VagrantCall[] {
  const rb = join(tempDir('labgen-rb-'), 'recorder.rb');
  writeFileSync(rb, RECORDER);
  const r = run('ruby', [rb, join(dir, 'Vagrantfile')], { cwd: dir });
  if (r.code !== 0) throw new Error(`ruby could not load the Vagrantfile:\n${r.output}`);
  return JSON.parse(r.stdout) as VagrantCall[];
}

/** The value set at a path (e.g. `vm.define(master).vm.provider(virtualbox).cpus`), or undefined. */
export function setting(calls: VagrantCall[], path: string): unknown {
  return calls.find((c) => c.path === path && 'set' in c)?.set;
}
