// `svmig policies`: the presets and parts a policy is written with (the list: app/commands/policies.ts).

import { Command } from './commander.js';
import { examples } from './help.js';

export function policiesCommand(): Command {
  return new Command('policies')
    .description('list the policy presets and the parts policies combine')
    .addHelpText(
      'after',
      examples([
        ['svmig policies', 'every preset with what it does, every part, and the parts each preset is made of'],
        ['svmig simulate scenarios/seed-estate.yaml --policy host-aware+retries:3', 'a preset with a part added: three retries of a failed copy'],
      ]),
    )
    .action(async () => (await import('../app/commands/policies.js')).policies());
}
