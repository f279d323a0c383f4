// `node --import ./without-png.mjs …`: svmig as on a machine where the optional PNG renderer is not
// installed. Importing chartjs-node-canvas or canvas fails as it does when the packages are absent.

import { register } from 'node:module';

const hook = `
export async function resolve(specifier, context, next) {
  if (specifier === 'canvas' || specifier === 'chartjs-node-canvas') {
    const err = new Error("Cannot find package '" + specifier + "' imported from " + context.parentURL);
    err.code = 'ERR_MODULE_NOT_FOUND';
    throw err;
  }
  return next(specifier, context);
}`;

register(`data:text/javascript,${encodeURIComponent(hook)}`);
