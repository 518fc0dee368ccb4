// The one place stop, start and logs take the lab directory's exclusive lock (issue 10's src/io/lock.ts).
// NOT YET A LOCK: src/io/lock.ts has not landed on main. Until it does, this runs fn without locking; when it
// lands, this function is the single call site that changes (stop, start and logs already go through it).

/** Runs fn while holding the lab directory's lock for `command` (see the note above: not locking yet). */
export async function withLabLock<T>(_dir: string, _command: string, fn: () => Promise<T>): Promise<T> {
  return fn();
}
