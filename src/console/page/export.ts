import { download, h } from './dom.js';

/**
 * The "Export script" dialog: the dialogue as a `cekit simulate --script` file, editable first since
 * replies that vary (dice rolls, times) must be loosened by hand before the script replays green.
 */
export function scriptDialog(): { element: HTMLDialogElement; open: (script: string) => void } {
  const textarea = h('textarea', { rows: 16, spellcheck: 'false', class: 'script' });
  const status = h('small', { 'aria-live': 'polite' });
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(textarea.value);
    } catch {
      // No clipboard API off a secure context or without permission: the old way still works.
      textarea.select();
      document.execCommand('copy');
    }
    status.textContent = 'Copied.';
  };
  const element = h(
    'dialog',
    // Named without the word "script" so the textarea alone answers to the label Script.
    { class: 'export', 'aria-label': 'Export the dialogue' },
    h('h2', null, 'Export script'),
    h(
      'p',
      null,
      'Replay it with ',
      h('code', null, 'cekit simulate --script dialogue.txt'),
      '. Edit replies that vary between runs before saving.',
    ),
    h('label', { class: 'field' }, h('span', { class: 'label' }, 'Script'), textarea),
    h(
      'div',
      { class: 'row buttons' },
      h(
        'button',
        { type: 'button', onclick: () => download('dialogue.txt', textarea.value, 'text/plain') },
        'Download',
      ),
      h('button', { type: 'button', onclick: () => void copy() }, 'Copy'),
      h('button', { type: 'button', onclick: () => element.close() }, 'Close'),
      status,
    ),
  );
  return {
    element,
    open: (script: string) => {
      textarea.value = script;
      status.textContent = '';
      // Modal: Escape closes it and focus returns to the button that opened it.
      element.showModal();
      textarea.focus();
    },
  };
}
