// The one place stop, start and logs take the lab directory's exclusive lock: src/io/lock.ts's, so a second labgen
// command on the same directory waits for them (or names them), as it does for render, create and destroy.
export { withLabLock } from '../io/lock.js';
