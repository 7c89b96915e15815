/**
 * The `onceReady()` side of a rate limiter: listeners waiting to hear that a message could go at once
 * again, and at most one unref'd timer to look again later. Shared by the token bucket and the Redis
 * limiter, so neither polls and neither keeps a process alive for it.
 */
export class ReadyWatch {
  private listeners: Array<() => void> = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  add(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** Someone is listening and no timer is set: the owner should check readiness. */
  get needsCheck(): boolean {
    return this.listeners.length > 0 && this.timer === undefined;
  }

  /** Calls every listener registered so far, once; listeners added meanwhile wait for the next time. */
  fire(): void {
    const listeners = this.listeners;
    this.listeners = [];
    for (const listener of listeners) listener();
  }

  /** Runs `check` after `ms` (one timer at a time, never keeping the process alive). */
  recheckIn(ms: number, check: () => void): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        check();
      },
      Math.max(1, ms),
    );
    (this.timer as { unref?: () => void }).unref?.();
  }

  /** Forgets listeners and the timer (the limiter was closed). */
  clear(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.listeners = [];
  }
}
