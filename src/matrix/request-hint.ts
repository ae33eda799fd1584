/**
 * A hint for the one request failure that says nothing: Triton answers some shape and datatype
 * mistakes with INVALID_ARGUMENT and an empty message (issue 19), so the hint puts what was sent
 * beside what the model declares.
 */
import type { AppliedModelConfig } from '../control/model-controller.js';
import { protocolDatatype } from '../load/build-infer-request.js';
import { TritonError } from '../triton/triton-error.js';

/**
 * `; Triton gave no reason: sent …; the model declares …` for an INVALID_ARGUMENT with an empty
 * message, else ''. `description` is the request's inputs as `name:DATATYPE[shape]:data`.
 */
export function emptyInvalidArgumentHint(
  err: unknown,
  sent: { readonly description: readonly string[]; readonly applied: AppliedModelConfig },
): string {
  if (!(err instanceof TritonError) || err.status !== 'INVALID_ARGUMENT' || err.details.trim() !== '') return '';
  const { config } = sent.applied;
  const batch = config.maxBatchSize > 0 ? '-1, ' : '';
  const declared = config.input.map(
    (input) =>
      `${input.name}:${protocolDatatype(input.dataType)}[${batch}${input.dims.map(String).join(', ')}]${input.optional ? ' (optional)' : ''}`,
  );
  return (
    `; Triton gave no reason: sent ${sent.description.join(', ') || 'no inputs'}; ` +
    `model '${sent.applied.model}' declares ${declared.join(', ') || 'no inputs'} (max_batch_size ${config.maxBatchSize}): ` +
    'check the names, datatypes and shapes in inputs'
  );
}
