import type { ConsoleExchange } from '../protocol.js';
import { fill, h, type Child } from './dom.js';
import { isRootPath, jsonView } from './json-view.js';

const show = (value: unknown) => (value === undefined ? '—' : JSON.stringify(value));

/** Session attributes after the reply, each marked added / changed / removed against what was sent. */
function attributes(before: Record<string, unknown>, after: Record<string, unknown>): Child {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  const rows = keys.map((key) => {
    const change = !(key in before)
      ? 'added'
      : !(key in after)
        ? 'removed'
        : JSON.stringify(before[key]) === JSON.stringify(after[key])
          ? 'same'
          : 'changed';
    return h(
      'tr',
      { class: change },
      h('th', { scope: 'row' }, key),
      h(
        'td',
        null,
        change === 'changed'
          ? `${show(before[key])} → ${show(after[key])}`
          : show(change === 'removed' ? before[key] : after[key]),
      ),
      h('td', null, change === 'same' ? '' : change),
    );
  });
  return h(
    'table',
    { class: 'attrs', 'aria-label': 'Session attributes' },
    h('caption', null, 'Session attributes'),
    rows.length ? rows : h('tr', null, h('td', { colspan: 3 }, 'none')),
  );
}

function headers(values: Record<string, string> | undefined): Child {
  if (!values || Object.keys(values).length === 0) return null;
  return h(
    'dl',
    { class: 'headers' },
    Object.entries(values).map(([name, value]) => [h('dt', null, name), h('dd', null, value)]),
  );
}

/** The selected exchange in full: what was sent, what came back, and what is wrong with it. */
export class Inspector {
  readonly element = h('section', { class: 'inspector', 'aria-label': 'Inspector' });

  clear(): void {
    fill(
      this.element,
      h('h2', null, 'Inspector'),
      h('p', { class: 'empty' }, 'Select an exchange to inspect it.'),
    );
  }

  show(exchange: ConsoleExchange, focus = false): void {
    const reply = exchange.reply;
    const problems = reply?.problems ?? [];
    const replyView =
      reply?.body !== null && reply?.body !== undefined ? jsonView(reply.body, problems, 'reply') : undefined;
    const title = h('h2', { tabindex: -1 }, `Inspector · #${exchange.id}`);
    fill(
      this.element,
      title,
      h('p', null, h('code', null, exchange.line)),
      exchange.outcome === 'error'
        ? h(
            'div',
            { class: 'reply error' },
            h('p', null, exchange.error?.message ?? 'Something went wrong'),
            exchange.error?.hint ? h('p', { class: 'hint' }, 'Hint: ', exchange.error.hint) : null,
          )
        : null,
      reply ? this.facts(exchange) : null,
      problems.length
        ? h(
            'ul',
            { class: 'problems', 'aria-label': 'Problems' },
            problems.map((problem) => {
              const anchor = replyView?.anchors.get(problem);
              const where = isRootPath(problem.path) ? 'whole reply' : problem.path;
              return h(
                'li',
                { 'data-path': problem.path },
                h('span', { class: 'tag' }, problem.code),
                ' ',
                anchor ? h('a', { href: `#${anchor}` }, where) : h('code', null, where),
                `: ${problem.message}`,
              );
            }),
          )
        : reply
          ? h('p', { class: 'ok' }, 'No problems found in the reply.')
          : null,
      exchange.session ? attributes(exchange.session.before, exchange.session.after) : null,
      // The reply first: it is what is being checked, and the problems point into it.
      h('h3', null, 'Reply'),
      headers(reply?.headers),
      replyView?.element ??
        (reply?.raw !== undefined
          ? h('pre', { class: 'json' }, reply.raw)
          : h('p', null, reply ? 'The reply had no body.' : 'Nothing came back.')),
      h('h3', null, 'Request'),
      headers(exchange.requestHeaders),
      exchange.request !== undefined
        ? jsonView(exchange.request, [], 'request').element
        : h('p', null, 'Nothing was sent.'),
    );
    if (focus) title.focus();
  }

  private facts(exchange: ConsoleExchange): Child {
    const reply = exchange.reply!;
    const late = reply.ms > reply.deadlineMs;
    return h(
      'div',
      { class: 'facts' },
      h(
        'p',
        { class: reply.status >= 400 ? 'trouble' : undefined },
        `HTTP ${reply.status}`,
        reply.refusal ? [' · ', h('code', null, reply.refusal.code), ` ${reply.refusal.message}`] : null,
        reply.refusal?.hint ? h('span', { class: 'hint' }, ` Hint: ${reply.refusal.hint}`) : null,
      ),
      h(
        'p',
        { class: late ? 'trouble' : undefined },
        h('meter', {
          min: 0,
          max: reply.deadlineMs,
          low: reply.deadlineMs / 2,
          high: reply.deadlineMs * 0.8,
          optimum: 0,
          value: Math.min(reply.ms, reply.deadlineMs),
          'aria-label': 'Time against the deadline',
        }),
        ` ${Math.round(reply.ms)} ms of ${reply.deadlineMs} ms`,
        late ? ': too late, CEK would have given up' : '',
      ),
      exchange.session ? h('p', null, exchange.session.ended ? 'Session ended' : 'Session continues') : null,
    );
  }
}
