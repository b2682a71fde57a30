// The policy's trainable copy in tfjs: the same actor/critic stacks as mlp.ts, as tf.Variables, with the loss
// functions of behaviour cloning and PPO. Every op runs inside tf.tidy or is disposed (tests check the tensor count).

import * as tf from '@tensorflow/tfjs';
import { type Dense, type PolicyWeights } from './mlp.ts';

interface TfDense {
  kernel: tf.Variable;
  bias: tf.Variable;
}

/** Trainable actor and critic variables. */
export class TfPolicy {
  readonly actor: TfDense[];
  readonly critic: TfDense[];

  constructor(w: PolicyWeights) {
    const mk = (l: Dense): TfDense => {
      const k = tf.tensor2d(l.kernel, [l.inDim, l.outDim]);
      const b = tf.tensor1d(l.bias);
      const out = { kernel: tf.variable(k), bias: tf.variable(b) };
      k.dispose();
      b.dispose();
      return out;
    };
    this.actor = w.actor.map(mk);
    this.critic = w.critic.map(mk);
  }

  actorVars(): tf.Variable[] {
    return this.actor.flatMap((l) => [l.kernel, l.bias]);
  }

  criticVars(): tf.Variable[] {
    return this.critic.flatMap((l) => [l.kernel, l.bias]);
  }

  /** Overwrites the variables with `w` (same shapes). */
  assign(w: PolicyWeights): void {
    const set = (dst: TfDense[], src: Dense[]) =>
      dst.forEach((d, i) => {
        tf.tidy(() => {
          d.kernel.assign(tf.tensor2d(src[i].kernel, [src[i].inDim, src[i].outDim]));
          d.bias.assign(tf.tensor1d(src[i].bias));
        });
      });
    set(this.actor, w.actor);
    set(this.critic, w.critic);
  }

  /** Reads the variables back into plain arrays (await data(): dataSync fails on WebGPU after a while). */
  async read(): Promise<PolicyWeights> {
    const rd = async (ls: TfDense[]): Promise<Dense[]> =>
      Promise.all(
        ls.map(async (l) => ({
          inDim: l.kernel.shape[0] as number,
          outDim: l.kernel.shape[1] as number,
          kernel: ((await l.kernel.data()) as Float32Array).slice(),
          bias: ((await l.bias.data()) as Float32Array).slice(),
        })),
      );
    return { actor: await rd(this.actor), critic: await rd(this.critic) };
  }

  dispose(): void {
    for (const v of [...this.actorVars(), ...this.criticVars()]) v.dispose();
  }
}

function stack(layers: TfDense[], x: tf.Tensor2D): tf.Tensor2D {
  let h = x;
  layers.forEach((l, i) => {
    h = tf.add(tf.matMul(h, l.kernel), l.bias) as tf.Tensor2D;
    if (i < layers.length - 1) h = tf.tanh(h);
  });
  return h;
}

/** Actor logits [batch][numActions]. Call inside tf.tidy. */
export function logitsOf(p: TfPolicy, obs: tf.Tensor2D): tf.Tensor2D {
  return stack(p.actor, obs);
}

/** Critic values [batch]. Call inside tf.tidy. */
export function valuesOf(p: TfPolicy, obs: tf.Tensor2D): tf.Tensor1D {
  return tf.reshape(stack(p.critic, obs), [-1]) as tf.Tensor1D;
}

/** Global L2 norm of a gradient map and the map scaled so the norm is at most maxNorm (clip_grad_norm_). */
export function clipByGlobalNorm(
  grads: tf.NamedTensorMap,
  maxNorm: number,
): { grads: tf.NamedTensorMap; norm: tf.Scalar } {
  const names = Object.keys(grads);
  const norm = tf.sqrt(tf.addN(names.map((n) => tf.sum(tf.square(grads[n]))))) as tf.Scalar;
  const scale = tf.minimum(tf.scalar(1), tf.div(tf.scalar(maxNorm), tf.add(norm, tf.scalar(1e-6))));
  const out: tf.NamedTensorMap = {};
  for (const n of names) out[n] = tf.mul(grads[n], scale);
  return { grads: out, norm };
}
