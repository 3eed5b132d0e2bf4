// js-yaml ships without types (it is here through the dev toolchain); the deploy test needs two calls.
declare module 'js-yaml' {
  export function load(text: string): unknown;
  export function loadAll(text: string): unknown[];
}
