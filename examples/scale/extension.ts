/**
 * A visit counter kept in user attributes: each launch adds one to the user's visits and remembers
 * which instance answered. Run several instances over one shared store (examples/scale/main.ts) and
 * every instance continues the count the others left.
 */
import { createExtension, defineMessages, type ExtensionOptions, type Logger, type UserStore } from 'cekit';

/** What is kept per user, in the shared store. */
export interface VisitsUser {
  visits: number;
  /** The instance that answered the user's last visit. */
  servedBy: string;
}

export interface VisitsOptions {
  /** Where user attributes live: `redisStore({ client })` when several instances serve the extension. */
  storage: UserStore;
  /** This instance's name, for the demo's answers (e.g. `A`, or a host name). */
  instance: string;
  verify?: ExtensionOptions['verify'];
  /** The Extension ID from the Clova developer console. Default `com.example.visits`. */
  extensionId?: string;
  logger?: Logger;
  requestLog?: ExtensionOptions['requestLog'];
}

const messages = defineMessages({
  ja: {
    first: (instance: string) => `はじめまして。インスタンス${instance}がお答えしました。`,
    again: (visits: number, before: string, now: string) =>
      `${visits}回目のご利用です。前回はインスタンス${before}、今回は${now}がお答えしました。`,
  },
  en: {
    first: (instance: string) => `Nice to meet you. Instance ${instance} answered.`,
    again: (visits: number, before: string, now: string) =>
      `This is visit ${visits}. Instance ${before} answered last time, instance ${now} now.`,
  },
});

/** Builds the visit counter; serve it with `serve(app)` from `cekit/node`. */
export function createVisitsExtension(options: VisitsOptions) {
  const app = createExtension<{ user: VisitsUser }>({
    extensionId: options.extensionId ?? 'com.example.visits',
    languages: ['ja', 'en'],
    storage: options.storage,
    ...(options.verify !== undefined ? { verify: options.verify } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.requestLog !== undefined ? { requestLog: options.requestLog } : {}),
  });

  app.launch(async (ctx) => {
    // Loading takes the user: a request for them on another instance waits until this one is saved.
    const user = await ctx.user.load();
    const text = messages(ctx.lang);
    const before = user.servedBy;
    user.visits = (user.visits ?? 0) + 1;
    user.servedBy = options.instance;
    ctx.say(
      before === undefined ? text.first(options.instance) : text.again(user.visits, before, options.instance),
    );
  });

  // The user removed the extension: delete what we kept (the deletion is written with the answer).
  app.event('ClovaSkill.SkillDisabled', (ctx) => ctx.user.delete());

  return app;
}
