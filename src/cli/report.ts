// `svmig report`: the HTML report, charts, Markdown summary and CSV of a result saved earlier by
// `svmig simulate`, `svmig compare` or `svmig sweep`. The work: app/commands/report.ts.

import type { ReportFlags } from '../app/commands/report.js';
import { Command } from './commander.js';
import { examples } from './help.js';

export function reportCommand(): Command {
  return new Command('report')
    .description('write the HTML report, chart PNGs, Markdown summary and CSV of a saved result')
    .argument('<result>', 'result JSON written by svmig simulate, svmig compare or svmig sweep')
    .option('-r, --report <dir>', 'folder to write the report into (default: reports/<result file name>)')
    .option('-d, --deadline <when>', 'deadline to draw and judge against: a duration (14d) or, when the saved campaign has a start, a date read in its zone (2026-12-17T06:00); default: the comparison’s or sweep’s, if any; their odds are worked out again')
    .addHelpText(
      'after',
      examples([
        ['svmig report reports/seed-estate.field.seed1.json', 'the report of a saved run, in reports/seed-estate.field.seed1/ (open its index.html)'],
        ['svmig report reports/seed-estate.compare.json --deadline 20h --report reports/deadline-20h', 'a saved comparison judged again against another deadline'],
        ['svmig report reports/seed-estate.sweep.json --report reports/knee', 'a saved sweep: its table and the chart of makespan against the parameter'],
      ]) +
        '\n\nThe page draws its charts itself (one file, nothing fetched). PNG files of the charts, for slides,\n' +
        'come from the optional renderer (canvas), which npm builds where Cairo and Pango are installed.',
    )
    .action(async (file: string, flags: ReportFlags) => (await import('../app/commands/report.js')).report(file, flags));
}
