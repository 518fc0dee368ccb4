// The actions after the machines are up, shared by create and start: fetch the kubeconfig, wait until the cluster is Ready.
import { awaitReady, fetchLabKubeconfig, type ReadyCluster, type ReadyInput } from '../lifecycle/ready-report.js';
import type { Action } from './runner.js';

/** What the Ready actions read, and what they leave for the report. */
export interface ReadyContext {
  ready: ReadyInput;
  kubeconfig?: string;
  cluster?: ReadyCluster;
}

/** Copies admin.conf from the control plane into DIR/kubeconfig (0600). */
export const fetchKubeconfigAction: Action<ReadyContext> = {
  name: 'fetch the kubeconfig',
  timesKey: 'kubeconfig',
  async execute(c) { c.kubeconfig = await fetchLabKubeconfig(c.ready); },
};

/** Polls until every node, kube-system pod and CNI pod is Ready, the timeout passes, or the user interrupts. */
export const waitReadyAction: Action<ReadyContext> = {
  name: 'wait for Ready',
  timesKey: 'ready',
  async execute(c) {
    if (c.kubeconfig === undefined) throw new Error('internal: the kubeconfig was not fetched before the Ready wait');
    c.cluster = await awaitReady(c.ready, c.kubeconfig);
  },
};
