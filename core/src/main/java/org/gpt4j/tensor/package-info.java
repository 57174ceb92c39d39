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
 * A kernel's bits may differ between vector widths (AVX-512, AVX2, 128-bit: lane counts set the
 * summation order), never between runs on one.
 *
 * <p>Every kernel must compile to vector instructions on every width, or it runs the Vector API's
 * Java fallback, which allocates each intermediate vector and is 10-100x slower (a JFR allocation
 * profile of a decode shows it at once):
 * <ul>
 *   <li>vectors are of {@code FloatVector.SPECIES_PREFERRED}'s shape or narrower: a wider species
 *       (a fixed 256-bit one under {@code -XX:MaxVectorSize=16}) is never compiled;</li>
 *   <li>a conversion between element sizes maps one lane to one lane (a short vector of L lanes
 *       to an int vector of L lanes, part 0), as {@code CompactStream} widens compact weights;</li>
 *   <li>no vector is passed to or returned from a method the JIT may decline to inline (one it
 *       compiled on its own first): hot widening is written inside the loop that uses it.</li>
 * </ul>
 */
package org.gpt4j.tensor;
