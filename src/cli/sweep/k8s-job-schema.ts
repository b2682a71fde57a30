// The part of Kubernetes' batch/v1 Job schema our manifests use, as JSON Schema (written from the Kubernetes API
// reference: Job, JobSpec, PodTemplateSpec, PodSpec, Container, Volume, VolumeMount, ResourceRequirements), with
// `additionalProperties: false` where kubectl's strict validation rejects unknown fields, and a small validator for
// the keywords it uses. Plus the cross-field rules the API server enforces for Indexed Jobs with per-index retries.

export type JsonSchema = {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  enum?: readonly unknown[];
  const?: unknown;
  minimum?: number;
  maxLength?: number;
  pattern?: string;
  anyOf?: JsonSchema[];
};

const int0: JsonSchema = { type: 'integer', minimum: 0 };
const stringMap: JsonSchema = { type: 'object', additionalProperties: { type: 'string' } };
/** resource.Quantity: a string ("500m", "2Gi") or a number. */
const quantityMap: JsonSchema = {
  type: 'object',
  additionalProperties: {
    anyOf: [{ type: 'string', pattern: '^[+-]?[0-9.]+([eE][+-]?[0-9]+|[numkMGTPE]|[KMGTPE]i)?$' }, { type: 'number' }],
  },
};
const dnsLabel: JsonSchema = { type: 'string', maxLength: 63, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' };
const openObject: JsonSchema = { type: 'object' };

const objectMeta: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: { type: 'string', maxLength: 63, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' },
    generateName: { type: 'string' },
    namespace: dnsLabel,
    labels: stringMap,
    annotations: stringMap,
  },
};

const container: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: dnsLabel,
    image: { type: 'string' },
    command: { type: 'array', items: { type: 'string' } },
    args: { type: 'array', items: { type: 'string' } },
    workingDir: { type: 'string' },
    imagePullPolicy: { type: 'string', enum: ['Always', 'IfNotPresent', 'Never'] },
    env: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        properties: { name: { type: 'string' }, value: { type: 'string' }, valueFrom: openObject },
      },
    },
    resources: {
      type: 'object',
      additionalProperties: false,
      properties: { requests: quantityMap, limits: quantityMap, claims: { type: 'array' } },
    },
    volumeMounts: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'mountPath'],
        properties: {
          name: { type: 'string' },
          mountPath: { type: 'string' },
          readOnly: { type: 'boolean' },
          subPath: { type: 'string' },
        },
      },
    },
    securityContext: openObject,
  },
};

const volume: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: dnsLabel,
    persistentVolumeClaim: {
      type: 'object',
      additionalProperties: false,
      required: ['claimName'],
      properties: { claimName: { type: 'string' }, readOnly: { type: 'boolean' } },
    },
    emptyDir: openObject,
    configMap: openObject,
    secret: openObject,
    nfs: {
      type: 'object',
      additionalProperties: false,
      required: ['server', 'path'],
      properties: { server: { type: 'string' }, path: { type: 'string' }, readOnly: { type: 'boolean' } },
    },
    csi: openObject,
  },
};

const podSpec: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['containers'],
  properties: {
    containers: { type: 'array', minItems: 1, items: container },
    initContainers: { type: 'array', items: container },
    // A Job's pods may only use these two (the API server refuses Always).
    restartPolicy: { type: 'string', enum: ['OnFailure', 'Never'] },
    volumes: { type: 'array', items: volume },
    nodeSelector: stringMap,
    serviceAccountName: { type: 'string' },
    tolerations: { type: 'array', items: openObject },
    securityContext: openObject,
    imagePullSecrets: {
      type: 'array',
      items: { type: 'object', additionalProperties: false, properties: { name: { type: 'string' } } },
    },
    terminationGracePeriodSeconds: int0,
    activeDeadlineSeconds: { type: 'integer', minimum: 1 },
  },
};

export const K8S_JOB_SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { const: 'batch/v1' },
    kind: { const: 'Job' },
    metadata: objectMeta,
    spec: {
      type: 'object',
      additionalProperties: false,
      required: ['template'],
      properties: {
        activeDeadlineSeconds: { type: 'integer', minimum: 1 },
        backoffLimit: int0,
        backoffLimitPerIndex: int0,
        completionMode: { type: 'string', enum: ['NonIndexed', 'Indexed'] },
        completions: int0,
        managedBy: { type: 'string' },
        manualSelector: { type: 'boolean' },
        maxFailedIndexes: int0,
        parallelism: int0,
        podFailurePolicy: openObject,
        podReplacementPolicy: { type: 'string', enum: ['TerminatingOrFailed', 'Failed'] },
        selector: openObject,
        successPolicy: openObject,
        suspend: { type: 'boolean' },
        template: {
          type: 'object',
          additionalProperties: false,
          required: ['spec'],
          properties: { metadata: objectMeta, spec: podSpec },
        },
        ttlSecondsAfterFinished: int0,
      },
    },
  },
};

const typeOf = (v: unknown): string =>
  Array.isArray(v) ? 'array' : v === null ? 'null' : Number.isInteger(v) ? 'integer' : typeof v;

/** Errors of `value` against `schema` as `path: message`, sorted; [] when valid. */
export function validateJsonSchema(schema: JsonSchema, value: unknown, path = ''): string[] {
  const errors: string[] = [];
  const at = path || '(root)';
  if (schema.const !== undefined && value !== schema.const)
    errors.push(`${at}: must be ${JSON.stringify(schema.const)}, got ${JSON.stringify(value)}`);
  if (schema.anyOf && !schema.anyOf.some((s) => validateJsonSchema(s, value, path).length === 0))
    errors.push(`${at}: ${JSON.stringify(value)} matches none of the allowed forms`);
  if (schema.type) {
    const t = typeOf(value);
    const ok = t === schema.type || (schema.type === 'number' && t === 'integer');
    if (!ok)
      return [
        ...errors,
        `${at}: must be ${schema.type === 'integer' ? 'an integer' : `a${/^[aeiou]/.test(schema.type) ? 'n' : ''} ${schema.type}`}, got ${JSON.stringify(value)}`,
      ];
  }
  if (schema.enum && !schema.enum.includes(value))
    errors.push(`${at}: must be one of ${schema.enum.join(', ')}, got ${JSON.stringify(value)}`);
  if (typeof value === 'number' && schema.minimum !== undefined && value < schema.minimum)
    errors.push(`${at}: must be ≥ ${schema.minimum}, got ${value}`);
  if (typeof value === 'string') {
    if (schema.maxLength !== undefined && value.length > schema.maxLength)
      errors.push(`${at}: longer than ${schema.maxLength} characters`);
    if (schema.pattern && !new RegExp(schema.pattern).test(value))
      errors.push(`${at}: ${JSON.stringify(value)} does not match ${schema.pattern}`);
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems)
      errors.push(`${at}: needs at least ${schema.minItems} item(s)`);
    if (schema.items) value.forEach((v, i) => errors.push(...validateJsonSchema(schema.items!, v, `${path}[${i}]`)));
  }
  if (typeOf(value) === 'object') {
    const o = value as Record<string, unknown>;
    for (const r of schema.required ?? []) if (!(r in o)) errors.push(`${path ? path + '.' : ''}${r}: is required`);
    for (const [k, v] of Object.entries(o)) {
      const p = path ? `${path}.${k}` : k;
      const s = schema.properties?.[k];
      if (s) errors.push(...validateJsonSchema(s, v, p));
      else if (schema.additionalProperties === false) errors.push(`${p}: unknown field`);
      else if (typeof schema.additionalProperties === 'object')
        errors.push(...validateJsonSchema(schema.additionalProperties, v, p));
    }
  }
  return path ? errors : [...errors, ...jobRules(value)].sort();
}

/** The API server's cross-field rules for the Job fields we use (validation.go of the batch API). */
function jobRules(job: unknown): string[] {
  const spec = (job as { spec?: Record<string, unknown> })?.spec;
  if (!spec || typeof spec !== 'object') return [];
  const errors: string[] = [];
  const indexed = spec.completionMode === 'Indexed';
  const pod = (spec.template as { spec?: { restartPolicy?: string } } | undefined)?.spec;
  if (spec.backoffLimitPerIndex !== undefined) {
    if (!indexed) errors.push('spec.backoffLimitPerIndex: only for completionMode Indexed');
    if (pod?.restartPolicy !== 'Never') errors.push('spec.backoffLimitPerIndex: needs the pod restartPolicy Never');
  }
  if (spec.maxFailedIndexes !== undefined && spec.backoffLimitPerIndex === undefined)
    errors.push('spec.maxFailedIndexes: needs backoffLimitPerIndex');
  if (indexed && typeof spec.completions !== 'number')
    errors.push('spec.completions: is required for completionMode Indexed');
  if (
    typeof spec.maxFailedIndexes === 'number' &&
    typeof spec.completions === 'number' &&
    spec.maxFailedIndexes > spec.completions
  )
    errors.push('spec.maxFailedIndexes: must not exceed completions');
  return errors;
}
