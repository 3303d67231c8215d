import { eventLine } from '../command-line.js';
import type { ConsoleExchange } from '../protocol.js';
import { fill, h } from './dom.js';
import { playItemOf, type PlayItem } from './reply.js';

type Run = (line: string) => Promise<unknown>;

/** progressReport setting → the event a device sends when it is reached; the first one set wins. */
const PROGRESS_EVENTS: [string, string][] = [
  ['progressReportDelayInMilliseconds', 'AudioPlayer.ProgressReportDelayPassed'],
  ['progressReportIntervalInMilliseconds', 'AudioPlayer.ProgressReportIntervalPassed'],
  ['progressReportPositionInMilliseconds', 'AudioPlayer.ProgressReportPositionPassed'],
];

const isWebUrl = (url: string) => /^https?:\/\//i.test(url);

/**
 * Plays the part of the device for the last `AudioPlayer.Play`: each button sends the AudioPlayer
 * event a speaker would, with the stream's token and the current position. The position is the real
 * <audio> element's when the URL plays in the browser, else simulated from the time spent "playing".
 */
export class AudioPanel {
  readonly element = h('section', { class: 'audio', 'aria-label': 'Audio player', hidden: true });
  private item: PlayItem | undefined;
  private audio: HTMLAudioElement | undefined;
  private started = false;
  private playing = false;
  /** Simulated position: `offset` ms when playback last (re)started at `since`. */
  private offset = 0;
  private since = 0;
  private readonly status = h('p', { class: 'status', 'aria-live': 'polite' });

  constructor(private readonly run: Run) {}

  clear(): void {
    this.audio?.pause();
    this.item = undefined;
    this.audio = undefined;
    this.element.hidden = true;
    this.element.replaceChildren();
  }

  /** A reply carrying a new `AudioPlayer.Play` replaces the player. */
  consider(exchange: ConsoleExchange): void {
    const item = playItemOf(exchange.reply?.body);
    if (item) this.load(item);
  }

  private load(item: PlayItem): void {
    this.clear();
    this.item = item;
    this.started = false;
    this.playing = false;
    this.offset = item.beginAt;
    if (isWebUrl(item.url)) {
      const audio = h('audio', { controls: true, preload: 'none', src: item.url });
      if (item.beginAt)
        audio.addEventListener('loadedmetadata', () => (audio.currentTime = item.beginAt / 1000), {
          once: true,
        });
      // The element's own controls act like the buttons.
      audio.addEventListener('play', () => void this.play(false));
      // A URL that fails to load also fires `pause`: only a pause after real playback is the user's.
      let sounding = false;
      audio.addEventListener('playing', () => (sounding = true));
      audio.addEventListener('pause', () => {
        if (sounding && !audio.ended) void this.pause(false);
        sounding = false;
      });
      audio.addEventListener('ended', () => void this.finish());
      this.audio = audio;
    }
    const button = (label: string, action: () => unknown) =>
      h('button', { type: 'button', onclick: action }, label);
    const progress = this.progressEvent();
    fill(
      this.element,
      h('h2', null, 'Audio player'),
      h('p', { class: 'title' }, item.title, item.artist ? h('small', null, ` · ${item.artist}`) : null),
      h(
        'dl',
        { class: 'headers' },
        h('dt', null, 'url'),
        h('dd', null, item.url || '—'),
        h('dt', null, 'token'),
        h('dd', null, item.token || '—'),
      ),
      this.audio ?? h('p', null, h('small', null, 'Not an http(s) URL: the position is simulated.')),
      h(
        'div',
        { class: 'row buttons' },
        button('Play', () => this.play(true)),
        button('Pause', () => this.pause(true)),
        button('Stop', () => this.stop()),
        button('Finish', () => this.finish()),
        h('button', { type: 'button', title: progress, onclick: () => this.report() }, 'Report progress'),
      ),
      this.status,
    );
    this.element.hidden = false;
    this.showStatus('Ready');
  }

  private position(): number {
    const real =
      this.audio && !this.audio.error && this.audio.currentTime > 0
        ? this.audio.currentTime * 1000
        : undefined;
    return Math.round(real ?? this.offset + (this.playing ? performance.now() - this.since : 0));
  }

  private showStatus(what: string): void {
    this.status.textContent = `${what} at ${(this.position() / 1000).toFixed(1)} s`;
  }

  private send(name: string, offset = this.position()) {
    const token = this.item?.token ?? '';
    return this.run(eventLine(name, { token, offsetInMilliseconds: offset }));
  }

  /** First time PlayStarted, after a pause PlayResumed; `fromButton` also starts the real element. */
  private async play(fromButton: boolean) {
    if (!this.item || this.playing) return;
    this.playing = true;
    this.since = performance.now();
    const name = this.started ? 'AudioPlayer.PlayResumed' : 'AudioPlayer.PlayStarted';
    this.started = true;
    if (fromButton && this.audio?.paused)
      this.audio.play().catch(() => {
        // Unplayable in this browser (format, network, autoplay policy): the position stays simulated.
      });
    this.showStatus('Playing');
    await this.send(name, this.offset);
  }

  private halt(): number {
    const at = this.position();
    this.offset = at;
    this.playing = false;
    return at;
  }

  private async pause(fromButton: boolean) {
    if (!this.item || !this.playing) return;
    const at = this.halt();
    if (fromButton) this.audio?.pause();
    this.showStatus('Paused');
    await this.send('AudioPlayer.PlayPaused', at);
  }

  private async stop() {
    if (!this.item) return;
    const at = this.halt();
    this.audio?.pause();
    // A stopped stream starts over: the next Play is a PlayStarted again.
    this.started = false;
    this.showStatus('Stopped');
    this.offset = this.item.beginAt;
    await this.send('AudioPlayer.PlayStopped', at);
  }

  private async finish() {
    if (!this.item) return;
    const at = this.item.duration ?? this.halt();
    this.playing = false;
    this.started = false;
    this.offset = at;
    this.showStatus('Finished');
    this.offset = this.item.beginAt;
    await this.send('AudioPlayer.PlayFinished', at);
  }

  private progressEvent(): string {
    const report = this.item?.progressReport ?? {};
    const found = PROGRESS_EVENTS.find(([setting]) => typeof report[setting] === 'number');
    return found?.[1] ?? 'AudioPlayer.ProgressReportIntervalPassed';
  }

  private async report() {
    if (!this.item) return;
    await this.send(this.progressEvent());
  }
}
