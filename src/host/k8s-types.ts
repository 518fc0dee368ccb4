// The few fields of kubectl's JSON that readiness and the tables read.

/** A condition of a node, pod or custom resource. */
export interface K8sCondition { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string }
/** Object metadata. */
export interface K8sMeta { name: string; namespace?: string; creationTimestamp?: string; labels?: Record<string, string> }
/** A node from `kubectl get nodes -o json`. */
export interface K8sNode { metadata: K8sMeta; spec?: { podCIDR?: string }; status?: { conditions?: K8sCondition[]; addresses?: { type: string; address: string }[]; nodeInfo?: { kubeletVersion?: string } } }
/** A container's status. */
export interface K8sContainerStatus { name: string; ready: boolean; restartCount?: number; state?: { waiting?: { reason?: string; message?: string }; running?: object; terminated?: { reason?: string; exitCode?: number } } }
/** A pod from `kubectl get pods -o json`. */
export interface K8sPod { metadata: K8sMeta; spec?: { nodeName?: string }; status?: { phase?: string; podIP?: string; conditions?: K8sCondition[]; containerStatuses?: K8sContainerStatus[] } }
/** A DaemonSet's status. */
export interface K8sDaemonSet { metadata: K8sMeta; status?: { desiredNumberScheduled?: number; numberReady?: number; numberAvailable?: number } }
/** An event from `kubectl get events -o json`. */
export interface K8sEvent { involvedObject?: { kind?: string; name?: string; namespace?: string }; reason?: string; message?: string; type?: string; lastTimestamp?: string; eventTime?: string; count?: number }
/** Any `-o json` list. */
export interface K8sList<T> { items: T[] }
