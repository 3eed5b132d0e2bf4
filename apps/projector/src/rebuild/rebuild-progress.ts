import { SingleBar, Presets } from 'cli-progress';

/**
 * Progress of a replay over commit sequences (a position's high bits): a bar on a terminal,
 * a plain line per second otherwise (logs, CI).
 */
export class RebuildProgress {
  private readonly started = Date.now();
  private lastLine = 0;
  private events = 0;
  private readonly bar?: SingleBar;

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {
    if (out.isTTY) {
      this.bar = new SingleBar(
        {
          format: `${label} [{bar}] {percentage}% | commit {value}/{total} | {rate} ev/s | ETA {eta}s`,
          stream: out,
        },
        Presets.shades_classic,
      );
      this.bar.start(Math.max(total, 1), 0, { rate: 0 });
    }
  }

  update(done: number, applied: number): void {
    this.events += applied;
    const rate = Math.round(this.events / Math.max(0.001, (Date.now() - this.started) / 1000));
    if (this.bar) {
      this.bar.update(Math.min(done, this.total), { rate });
      return;
    }
    if (Date.now() - this.lastLine < 1000) return;
    this.lastLine = Date.now();
    this.out.write(`${this.line(done, rate)}\n`);
  }

  finish(done: number): { events: number; seconds: number; perSecond: number } {
    const seconds = (Date.now() - this.started) / 1000;
    const perSecond = Math.round(this.events / Math.max(seconds, 0.001));
    if (this.bar) {
      this.bar.update(Math.min(done, this.total), { rate: perSecond });
      this.bar.stop();
    }
    return { events: this.events, seconds, perSecond };
  }

  private line(done: number, rate: number): string {
    const elapsed = (Date.now() - this.started) / 1000;
    const perCommit = done > 0 ? elapsed / done : 0;
    const eta = Math.max(0, Math.round((this.total - done) * perCommit));
    return `${this.label}: commit ${done}/${this.total} events=${this.events} ${rate} ev/s ETA ${eta}s`;
  }
}
