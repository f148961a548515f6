/**
 * The session's notion of now, in epoch ms. In backtest it only moves when the engine steps it,
 * and it refuses to move while frozen (the session is deactivated) or backwards: both would
 * break the no-look-ahead promise, so they are programming errors, not conditions to handle.
 */
export class SimulatedClock {
  private current: number;
  private frozen = false;

  constructor(start: number) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  get isFrozen(): boolean {
    return this.frozen;
  }

  freeze(): void {
    this.frozen = true;
  }

  unfreeze(): void {
    this.frozen = false;
  }

  advanceTo(time: number): void {
    if (this.frozen) throw new Error(`clock is frozen at ${this.current}; refusing to move to ${time}`);
    if (time < this.current) throw new Error(`clock cannot go back from ${this.current} to ${time}`);
    this.current = time;
  }
}
