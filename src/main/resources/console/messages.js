// The console's strings: the English file, or the translation named by <html lang> if one is added under i18n/.
import en from './i18n/en.js';

const messages = en;

/** The string for key, with {0}, {1}… replaced by the arguments. */
export function t(key, ...args) {
  const text = messages[key] ?? key;
  return text.replace(/\{(\d+)\}/g, (_, i) => String(args[Number(i)] ?? ''));
}
