/**
 * The dependency rule, checked by `npm run lint:deps` (in `npm test`'s CI run):
 * domain ← services ← ports ← adapters ← functions/infra. Inner layers never import outer
 * ones, and only adapters and the composition roots (functions/, infra/) touch the AWS SDK.
 */
const sdk = '^(node_modules/)?(@aws-sdk|@aws-lambda-powertools|@middy|aws-cdk-lib|constructs|aws-lambda)';
const outer = (...layers) => `^(${layers.join('|')})/`;

module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'shared/domain and events/ are the core: no ports, services, adapters, functions, infra or SDK.',
      severity: 'error',
      from: { path: '^(shared/domain|events)/' },
      to: { path: [outer('shared/ports', 'shared/services', 'shared/adapters', 'functions', 'infra'), sdk] },
    },
    {
      name: 'ports-know-only-the-domain',
      severity: 'error',
      from: { path: '^shared/ports/' },
      to: { path: [outer('shared/services', 'shared/adapters', 'functions', 'infra'), sdk] },
    },
    {
      name: 'services-use-ports-not-adapters',
      severity: 'error',
      from: { path: '^shared/services/' },
      to: { path: [outer('shared/adapters', 'functions', 'infra'), sdk] },
    },
    {
      name: 'adapters-implement-ports',
      comment: 'Adapters know ports and the domain, never the use cases that call them or the functions.',
      severity: 'error',
      from: { path: '^shared/adapters/' },
      to: { path: outer('shared/services', 'functions', 'infra') },
    },
    {
      name: 'functions-are-independent',
      comment: 'A function folder never imports another function folder (shared handler code lives in functions/*.ts).',
      severity: 'error',
      from: { path: '^functions/([^/]+)/' },
      to: { path: '^functions/[^/]+/', pathNot: '^functions/$1/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(node_modules|cdk.out|bench/.out|test)/' },
  },
};
