// i18n.js: Dutch (default) and English strings from i18n/{nl,en}.json;
// t(key, {var}) fills {var} placeholders; with n === 1 the key's ".one"
// form is used when there is one (singular: "1 bevinding staat"). The choice is kept in
// localStorage and mirrored in <html lang>.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import nl from './i18n/nl.json';
import en from './i18n/en.json';

export const LANGS = { nl, en };
export const LangContext = createContext({ lang: 'nl', setLang: () => {} });

export function initialLang() {
	const l = localStorage.getItem('wachter.lang');
	return l && LANGS[l] ? l : 'nl';
}

export function translate(lang, key, vars) {
	if (vars && vars.n === 1 && (`${key}.one` in nl)) key = `${key}.one`;
	const s = (LANGS[lang] && LANGS[lang][key]) || nl[key] || key;
	if (!vars) return s;
	return s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
}

export function useT() {
	const { lang } = useContext(LangContext);
	return (key, vars) => translate(lang, key, vars);
}

export function useLang() {
	return useContext(LangContext).lang;
}
