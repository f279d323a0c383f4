// The grid of `svmig sweep`: --vary arguments read into axes (values, ranges, policy parts), their
// cartesian product, what each point sets in the scenario and appends to each policy, and the one
// sentence each malformed argument gets.

import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/domain/errors.js';
import { gridPoints, parseAxes, parseVary, pointPolicy, pointSettings, pointValues } from '../../src/scenario/sweep-grid.js';

function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as UserError).message;
  }
  throw new Error('accepted');
}

describe('--vary values', () => {
  it('expands ranges, with or without a step, among listed values', () => {
    expect(parseVary('policy.cluster=1..5').values).toEqual(['1', '2', '3', '4', '5']);
    expect(parseVary('policy.cluster=1..4,8,16..32:8').values).toEqual(['1', '2', '3', '4', '8', '16', '24', '32']);
    // 0.1 steps without float dust: 0.30000000000000004 would be a different YAML value.
    expect(parseVary('fabric.arrays[0].productionLoad=0..0.4:0.1').values).toEqual(['0', '0.1', '0.2', '0.3', '0.4']);
    // A step that does not land on the end stops below it.
    expect(parseVary('policy.cluster=1..10:4').values).toEqual(['1', '5', '9']);
    expect(parseVary('policy.cluster=7..7').values).toEqual(['7']);
  });

  it('keeps commas inside parentheses, brackets and quotes within one value', () => {
    const axis = parseVary("fabric.arrays[0].productionLoad=0,triangular(0.1, 0.2, 0.4),'a,b'");
    expect(axis.values).toEqual(['0', 'triangular(0.1, 0.2, 0.4)', "'a,b'"]);
    expect(parseVary('campaign.priority=[a, b],[c]').values).toEqual(['[a, b]', '[c]']);
  });

  it('reads a scenario axis value by value as --set would (YAML), naming --vary', () => {
    const axis = parseVary('fabric.perCopyRate=200MB/s,250MB/s');
    expect(axis.kind).toBe('scenario');
    if (axis.kind !== 'scenario') return;
    expect(axis.path).toEqual(['fabric', 'perCopyRate']);
    expect(axis.settings.map((s) => [s.value, s.flag])).toEqual([
      ['200MB/s', '--vary'],
      ['250MB/s', '--vary'],
    ]);
    expect(parseVary('fabric.arrays[0].frontEndPorts=4,8').kind === 'scenario' && (parseVary('fabric.arrays[0].frontEndPorts=4,8') as { settings: Array<{ value: unknown }> }).settings.map((s) => s.value)).toEqual([4, 8]);
  });

  it('refuses malformed arguments in one sentence naming them', () => {
    const cases: Array<[string, RegExp]> = [
      ['policy.cluster', /^--vary "policy\.cluster" has no "=": write it as path=values, like policy\.cluster=1\.\.32/],
      ['policy.cluster=', /^--vary policy\.cluster: "" has an empty value: separate values with single commas/],
      ['policy.cluster=1,,2', /^--vary policy\.cluster: "1,,2" has an empty value/],
      ['policy.cluster=32..1', /^--vary policy\.cluster: "32\.\.1" ends below its start: write a range as FROM\.\.TO or FROM\.\.TO:STEP/],
      ['policy.cluster=1..', /^--vary policy\.cluster: "1\.\." is not a range: write a range as FROM\.\.TO/],
      ['policy.cluster=1..x', /^--vary policy\.cluster: "1\.\.x" is not a range/],
      ['policy.cluster=1...4', /^--vary policy\.cluster: "1\.\.\.4" is not a range/],
      ['policy.cluster=1..4:0', /^--vary policy\.cluster: "1\.\.4:0" has a step of 0: the step must be more than 0\.$/],
      ['policy.cluster=1..5000', /^--vary policy\.cluster: "1\.\.5000" makes 5,000 values, more than 1,000 on one axis\.$/],
      ['policy.cluster=1,2,1', /^--vary policy\.cluster: the value 1 is listed twice\.$/],
      ['policy.cluster=1..3,2', /^--vary policy\.cluster: the value 2 is listed twice\.$/],
      ['policy.cluster=0', /^--vary policy\.cluster=0: cluster:N needs a whole number of at least 1, not "0"\.$/],
      ['policy.order=biggest-first', /^--vary policy\.order=biggest-first: "order:biggest-first" is not an order/],
      ['policy.speed=1', /^--vary policy\.speed: "speed" is not a policy part with a value \(order, cluster, host/],
      ['policy=field,fixed:4', /^--vary policy: the policies are compared with --policies/],
      ['fabric..perCopyRate=1', /^--vary fabric\.\.perCopyRate: a field name is missing before "\.perCopyRate"/],
      // An unclosed bracket keeps the rest in one value, which YAML then refuses.
      ['fabric.core=[1, 2', /^--vary fabric\.core=\[1, 2: "\[1, 2" is not a YAML value \(Flow sequence must end with a \]\)\.$/],
    ];
    for (const [arg, message] of cases) {
      const m = errorOf(() => parseVary(arg));
      expect(m, arg).toMatch(message);
      expect(m.split('\n'), arg).toHaveLength(1);
    }
  });

  it('refuses an axis given twice and a grid past its limit', () => {
    expect(errorOf(() => parseAxes(['policy.cluster=1,2', 'policy.cluster=3']))).toBe('--vary policy.cluster is given twice: list all its values in one --vary.');
    expect(errorOf(() => parseAxes([]))).toMatch(/^a sweep needs at least one --vary path=values/);
    expect(errorOf(() => parseAxes(['policy.cluster=1..1000', 'policy.host=1..11']))).toBe("--vary: 1000 × 11 makes 11,000 grid points, more than svmig's limit of 10,000.");
  });
});

describe('the grid', () => {
  it('is the cartesian product, the first axis slowest; each point sets its scenario values and appends its policy parts', () => {
    const axes = parseAxes(['fabric.perCopyRate=150MB/s,250MB/s', 'policy.cluster=4,8,16', 'policy.retries=2']);
    const points = gridPoints(axes);
    // 2 × 3 × 1 points, worked out by hand in order.
    expect(points.map((p) => pointValues(axes, p))).toEqual([
      ['150MB/s', '4', '2'],
      ['150MB/s', '8', '2'],
      ['150MB/s', '16', '2'],
      ['250MB/s', '4', '2'],
      ['250MB/s', '8', '2'],
      ['250MB/s', '16', '2'],
    ]);
    expect(pointSettings(axes, points[4]!).map((s) => `${s.pathText}=${String(s.value)}`)).toEqual(['fabric.perCopyRate=250MB/s']);
    expect(pointPolicy(axes, points[4]!, ' field ')).toBe('field+cluster:8+retries:2');
    expect(pointPolicy(axes, points[2]!, 'adaptive')).toBe('adaptive+cluster:16+retries:2');
  });

  it('of policy parts only sets nothing in the scenario', () => {
    const axes = parseAxes(['policy.cluster=1..3']);
    expect(gridPoints(axes).map((p) => pointSettings(axes, p))).toEqual([[], [], []]);
  });
});
