// commander, loaded as the CommonJS module it is. Its ES-module entry is a wrapper that makes Node
// parse the CommonJS build again to find its exports, which costs about as much as loading it:
// every command pays for it at start-up, so the CLI takes it straight from require.

import { createRequire } from 'node:module';

const commander = createRequire(import.meta.url)('commander') as typeof import('commander');

export const { Command, CommanderError, Option } = commander;
export type Command = import('commander').Command;
export type CommanderError = import('commander').CommanderError;
export type Option = import('commander').Option;
