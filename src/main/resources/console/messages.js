// The console's strings: i18n/<lang>.js for the language index.html names (<html lang="sq">), English for any key
// that file lacks (or when there is no such file). A translation is therefore one file plus that attribute.
import en from './i18n/en.js';

const language = document.documentElement.lang || 'en';
const translated = language === 'en' ? {}
  : await import(`./i18n/${encodeURIComponent(language)}.js`).then((module) => module.default, () => ({}));
const messages = { ...en, ...translated };

/** The string for key, with {0}, {1}… replaced by the arguments. */
export function t(key, ...args) {
  const text = messages[key] ?? key;
  return text.replace(/\{(\d+)\}/g, (_, i) => String(args[Number(i)] ?? ''));
}

/** A state the API names (a run's outcome, a job's state…) in the console's language; unknown ones as they are. */
export function term(value) {
  return messages[`state.${value}`] ?? String(value);
}
