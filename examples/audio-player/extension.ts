/**
 * A podcast player: `AudioPlayer.Play` with progress reports, playback control through the built-in
 * intents, and the AudioPlayer.* events: the next episode on PlayFinished, the saved position on
 * progress reports, and a deferred (short-lived) URL delivered on StreamRequested.
 */
import {
  createExtension,
  memoryStore,
  type Context,
  type ExtensionOptions,
  type Logger,
  type UserStore,
} from 'cekit';

export interface Episode {
  id: string;
  title: string;
  /** Direct HTTPS URL, or undefined when the URL is minted just before playback (StreamRequested). */
  url?: string;
}

export interface PlayerUser {
  /** Episode being listened to and the last reported position, to resume next time. */
  episodeId: string;
  offsetMs: number;
}

export interface AudioPlayerOptions {
  verify?: ExtensionOptions['verify'];
  extensionId?: string;
  episodes: readonly Episode[];
  /** Mints a playable URL for an episode without a fixed `url` (e.g. a signed, expiring link). */
  streamUrlFor?: (episode: Episode) => string | Promise<string>;
  storage?: UserStore;
  logger?: Logger;
  requestLog?: ExtensionOptions['requestLog'];
}

const SHOW = { name: 'cekit radio', logoUrl: 'https://example.com/cekit-radio.png' };

export function createAudioPlayerExtension(options: AudioPlayerOptions) {
  const { episodes } = options;
  const app = createExtension<{ user: PlayerUser }>({
    extensionId: options.extensionId ?? 'com.example.radio',
    storage: options.storage ?? memoryStore(),
    audioSource: SHOW,
    ...(options.verify !== undefined ? { verify: options.verify } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.requestLog !== undefined ? { requestLog: options.requestLog } : {}),
  });

  const indexOf = (id: string | undefined) => episodes.findIndex((episode) => episode.id === id);

  /** Plays an episode; the stream token is the episode id, so events tell us which one they are about. */
  function play(ctx: Pick<Context, 'play'>, episode: Episode, offsetMs = 0, behavior?: 'ENQUEUE') {
    return ctx.play({
      audioItemId: episode.id,
      titleText: episode.title,
      titleSubText1: SHOW.name,
      ...(behavior ? { playBehavior: behavior } : {}),
      stream: {
        token: episode.id,
        url: episode.url ?? `clova:${episode.id}`,
        urlPlayable: episode.url !== undefined,
        beginAtInMilliseconds: offsetMs,
        // Report the position every 30 s so "resume" works after the device is switched off.
        progressReport: { progressReportIntervalInMilliseconds: 30_000 },
      },
    });
  }

  app.launch(async (ctx) => {
    const user = await ctx.user.load();
    const resume = episodes[indexOf(user.episodeId)];
    if (resume) return play(ctx.say(`「${resume.title}」の続きから再生します。`), resume, user.offsetMs ?? 0);
    return play(ctx.say(`「${episodes[0]!.title}」を再生します。`), episodes[0]!);
  });

  app.intent('PlayLatestIntent', (ctx) => play(ctx, episodes[episodes.length - 1]!));

  app.intent('Clova.NextIntent', (ctx) => {
    const next = episodes[indexOf(ctx.audioPlayer?.stream?.token) + 1];
    return next ? play(ctx, next) : ctx.say('これが最新のエピソードです。');
  });
  app.intent('Clova.PreviousIntent', (ctx) => {
    const previous = episodes[indexOf(ctx.audioPlayer?.stream?.token) - 1];
    return previous ? play(ctx, previous) : ctx.say('これが最初のエピソードです。');
  });
  app.intent('Clova.PauseIntent', (ctx) => ctx.pause());
  app.intent('Clova.ResumeIntent', (ctx) => ctx.resume());
  app.intent(['Clova.StopIntent', 'Clova.CancelIntent'], (ctx) => ctx.stop());
  app.intent('Clova.GuideIntent', (ctx) => ctx.ask('「次のエピソード」や「一時停止」と言ってください。'));

  // The client finished an episode: CEK expects the next action (spec custom-extension.md §3.4.1).
  app.event('AudioPlayer.PlayFinished', async (ctx) => {
    const next = episodes[indexOf(ctx.event.payload.token) + 1];
    const user = await ctx.user.load();
    if (!next) {
      delete user.episodeId;
      delete user.offsetMs;
      return ctx.stop();
    }
    user.episodeId = next.id;
    user.offsetMs = 0;
    return play(ctx, next, 0, 'ENQUEUE');
  });

  // Save the position on every report, pause and stop, so launch can resume.
  const remember = async (
    ctx: Pick<Context<{ user: PlayerUser }>, 'user'>,
    token?: string,
    offset?: number,
  ) => {
    if (token === undefined || offset === undefined) return;
    const user = await ctx.user.load();
    user.episodeId = token;
    user.offsetMs = offset;
  };
  app.event('AudioPlayer.ProgressReportIntervalPassed', (ctx) =>
    remember(ctx, ctx.event.payload.token, ctx.event.payload.offsetInMilliseconds),
  );
  app.event('AudioPlayer.PlayPaused', (ctx) =>
    remember(ctx, ctx.event.payload.token, ctx.event.payload.offsetInMilliseconds),
  );
  app.event('AudioPlayer.PlayStopped', (ctx) =>
    remember(ctx, ctx.event.payload.token, ctx.event.payload.offsetInMilliseconds),
  );

  // A deferred stream is about to play: deliver its real URL now (spec §5.2).
  app.event('AudioPlayer.StreamRequested', async (ctx) => {
    const episode = episodes[indexOf(ctx.event.payload.audioItemId)];
    if (!episode || !options.streamUrlFor) return ctx.stop();
    const url = await options.streamUrlFor(episode);
    return ctx.streamDeliver({
      audioItemId: episode.id,
      audioStream: { token: episode.id, url, urlPlayable: true },
    });
  });

  return app;
}
