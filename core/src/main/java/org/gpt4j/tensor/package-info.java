/**
 * The only place with hot loops: matrix products, attention, LayerNorm, activations,
 * cross-entropy and the optimiser, vectorised with the Vector API on one shared thread pool.
 *
 * <p>Every kernel is deterministic — the same inputs give the same bits in every run, so a seed
 * fixes a training run and a resumed run repeats an uninterrupted one exactly:
 * <ul>
 *   <li>work is split into disjoint ranges; each output element is written by one thread, and
 *       every reduction runs in an order that does not depend on scheduling;</li>
 *   <li>vector lanes are summed in a fixed tree order ({@code VectorMath.sum}), never with
 *       {@code reduceLanes(ADD)}, whose order differs between interpreted and compiled code;</li>
 *   <li>transcendental functions come from {@code StrictMath} (or {@code VectorMath.exp}):
 *       {@code Math.exp} and friends may be replaced by JIT intrinsics that round differently
 *       from the interpreter, so results would depend on when a method was compiled.</li>
 * </ul>
 */
package org.gpt4j.tensor;
