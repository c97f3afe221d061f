import { describe, expect, it } from 'vitest';
import { ConfigError, configKeys, parseConfig, usesPlaceholders } from '../../infra/config';
import { cdkJson, synth } from './support';

const valid = {
  stage: 'prod',
  mailFrom: 'tracker@oakvalley.org.uk',
  sesIdentity: 'oakvalley.org.uk',
  opsEmail: 'it@oakvalley.org.uk',
  trustName: 'Oak Valley Academy Trust',
};

function problem(raw: Record<string, unknown>): string {
  try {
    parseConfig(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('deployment config (cdk.json context, -c key=value)', () => {
  it("cdk.json's defaults are valid placeholders, so synth works on a fresh machine", () => {
    const json = cdkJson();
    expect(json.app).toBe('npx tsx infra/app.ts');
    expect(json.context).not.toHaveProperty('aws:cdk:bundling-stacks');
    const config = parseConfig(json.context);
    expect(config).toMatchObject({ stage: 'dev', region: 'eu-west-2', schoolTimezones: ['Europe/London'] });
    expect(usesPlaceholders(config)).toBe(true);
    for (const key of ['stage', 'region', 'mailFrom', 'sesIdentity', 'opsEmail', 'trustName', 'trustLeaders', 'schoolTimezones']) {
      expect(json.context, key).toHaveProperty(key);
    }
  });

  it('applies defaults: eu-west-2, Europe/London, no leaders, 90-day logs', () => {
    const config = parseConfig(valid);
    expect(config).toMatchObject({ region: 'eu-west-2', schoolTimezones: ['Europe/London'], trustLeaders: [], logRetentionDays: 90, logLevel: 'INFO' });
    expect(usesPlaceholders(config)).toBe(false);
  });

  it('accepts -c strings: comma lists and numbers', () => {
    const config = parseConfig({
      ...valid,
      trustLeaders: 'ceo@oakvalley.org.uk, coo@oakvalley.org.uk,ceo@oakvalley.org.uk',
      schoolTimezones: 'Europe/London,Europe/Dublin',
      logRetentionDays: '365',
      apiRateLimit: '20',
    });
    expect(config.trustLeaders).toEqual(['ceo@oakvalley.org.uk', 'coo@oakvalley.org.uk']);
    expect(config.schoolTimezones).toEqual(['Europe/London', 'Europe/Dublin']);
    expect(config.logRetentionDays).toBe(365);
    expect(config.apiRateLimit).toBe(20);
  });

  it('names each missing value and how to set it', () => {
    const message = problem({ stage: 'prod' });
    for (const key of ['mailFrom', 'sesIdentity', 'opsEmail', 'trustName']) expect(message).toContain(`-c ${key}=`);
    expect(message).toMatch(/mailFrom=…\s+is required/);
  });

  it.each([
    [{ stage: 'Prod_1' }, 'stage'],
    [{ region: 'london' }, 'region'],
    [{ mailFrom: 'not-an-address' }, 'mailFrom'],
    [{ opsEmail: 'ops' }, 'opsEmail'],
    [{ trustLeaders: 'ceo@oakvalley.org.uk,nobody' }, 'trustLeaders'],
    [{ schoolTimezones: 'Europe/Londres' }, 'schoolTimezones'],
    [{ logRetentionDays: '100' }, 'logRetentionDays'],
    [{ sesIdentity: 'not a domain' }, 'sesIdentity'],
    [{ domainName: 'tracker.oakvalley.org.uk' }, 'certificateArn'],
    [{ domainName: 'tracker.oakvalley.org.uk', certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc' }, 'certificateArn'],
    [{ sesSandboxRecipients: 'tester' }, 'sesSandboxRecipients'],
  ])('rejects %j, naming %s', (override, key) => {
    expect(problem({ ...valid, ...override })).toContain(`-c ${key}`);
  });

  it('requires MAIL_FROM to be covered by the SES identity', () => {
    expect(problem({ ...valid, mailFrom: 'tracker@elsewhere.org' })).toContain('not covered by the SES identity');
    expect(problem({ ...valid, sesIdentity: 'alerts@oakvalley.org.uk' })).toContain('not covered');
    expect(parseConfig({ ...valid, mailFrom: 'tracker@mail.oakvalley.org.uk' }).mailFrom).toBe('tracker@mail.oakvalley.org.uk');
    expect(parseConfig({ ...valid, sesIdentity: valid.mailFrom }).sesIdentity).toBe(valid.mailFrom);
  });

  it('reads every key from the app context, so -c overrides cdk.json', () => {
    expect(configKeys).toEqual(
      expect.arrayContaining(['stage', 'region', 'mailFrom', 'sesIdentity', 'opsEmail', 'trustName', 'trustLeaders', 'schoolTimezones', 'domainName']),
    );
    const { config } = synth({ stage: 'prod', trustName: 'Oak Valley Academy Trust' });
    expect(config.stage).toBe('prod');
    expect(config.trustName).toBe('Oak Valley Academy Trust');
  });

  it('fails the synth with a ConfigError on a bad value', () => {
    expect(() => synth({ opsEmail: 'nobody' })).toThrow(ConfigError);
  });
});
