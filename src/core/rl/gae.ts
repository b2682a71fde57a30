// Generalised advantage estimation (Schulman et al. 2016), CleanRL's backward recursion. Buffers are
// [numSteps][numEnvs] row-major. done[t] = the episode ended with step t's action (terminated or truncated);
// truncation is bootstrapped by the caller, who adds γ·V(final state) to that step's reward.

/** Advantages and returns (advantages + values) by the backward recursion, O(T·N). */
export function computeGae(
  rewards: Float32Array,
  values: Float32Array,
  dones: Uint8Array,
  nextValues: Float32Array,
  numSteps: number,
  numEnvs: number,
  gamma: number,
  gaeLambda: number,
): { advantages: Float32Array; returns: Float32Array } {
  const advantages = new Float32Array(numSteps * numEnvs);
  const returns = new Float32Array(numSteps * numEnvs);
  for (let e = 0; e < numEnvs; e++) {
    let lastGae = 0;
    for (let t = numSteps - 1; t >= 0; t--) {
      const i = t * numEnvs + e;
      const nonTerminal = 1 - dones[i];
      const nextV = t === numSteps - 1 ? nextValues[e] : values[i + numEnvs];
      const delta = rewards[i] + gamma * nextV * nonTerminal - values[i];
      lastGae = delta + gamma * gaeLambda * nonTerminal * lastGae;
      advantages[i] = lastGae;
      returns[i] = lastGae + values[i];
    }
  }
  return { advantages, returns };
}
