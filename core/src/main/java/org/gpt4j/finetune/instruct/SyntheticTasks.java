package org.gpt4j.finetune.instruct;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Instruction data anyone can check, for demonstrating instruction tuning: two-digit addition
 * ("What is 37 + 48?" → "85") and reversing a short English word ("Reverse the word 'planet'." →
 * "tenalp"), each asked in several phrasings. Deterministic: a seed fixes every choice.
 *
 * <p>The train and dev splits hold different problems (a problem's split is fixed by a hash of the
 * problem itself, one in ten going to dev), so the dev exact match measures the skill, not memory
 * of the training answers: an addition seen in training never appears in dev, nor does a word.
 */
public final class SyntheticTasks {

    public enum Task {
        ARITHMETIC, REVERSE, MIXED
    }

    public enum Split {
        TRAIN, DEV
    }

    private static final String[] ADDITION = {
        "What is %d + %d?",
        "Add %d and %d.",
        "Compute %d + %d.",
        "What is the sum of %d and %d?",
        "How much is %d plus %d?",
    };

    private static final String[] REVERSAL = {
        "Reverse the word '%s'.",
        "Spell '%s' backwards.",
        "What is '%s' written backwards?",
        "Write the letters of '%s' in reverse order.",
    };

    /** Common English words of 3 to 6 letters. */
    static final String[] WORDS = ("""
            apple bread chair dance eagle field green house island jelly knife lemon money night ocean paper queen
            river stone table uncle voice water young zebra about above actor adult after again agent alarm album
            alive angle angry ankle armor arrow aside award badge baker basic beach beard beast begin bench birth
            black blade blind block blood board boat bonus brain brave brick bride brief brown brush build cabin
            cable candy canoe cargo carry catch cause chain chalk charm chase cheap check chess chief child chord
            civil claim class clean clear climb clock cloud coach coast color coral couch count court cover craft
            crane cream crown cycle daily dairy death delay depth diary dozen draft drama dream dress drink drive
            early earth elbow empty enemy enjoy entry equal error event exact extra fairy faith false fancy feast
            fence fever fiber final flame flash fleet flour fluid focus force forum frame fresh front frost fruit
            ghost giant glass globe glove grace grade grain grape grass guard guest guide habit happy heart heavy
            honey horse hotel human humor image index inner input jewel joint judge juice label large laser later
            laugh layer learn lever light limit linen liver local lodge logic loyal lucky lunch magic major maple
            march match mayor metal meter minor model motor mouse mouth movie music nerve noble noise north novel
            nurse olive onion orbit order organ other owner paint panel party peace pearl phone piano pilot pitch
            place plain plane plant plate point polar porch pound power press price pride prime print prize proof
            proud pupil radio rain range rapid razor reply rider ridge rival road robot rocky roof round royal
            rural salad sauce scale scene scope score sense shade shape share sharp sheep shelf shell shift shirt
            shock short sight skill sleep slice smile smoke snake solid sound south space spark spoon sport staff
            stage stair steam steel stick storm story sugar sunny sweet swing sword teeth theme thick thumb tiger
            title toast token topic torch tower trace track trade trail train treat trend trial tribe truck trust
            truth twist union upper urban usual valley value video visit vital vivid wagon watch whale wheat wheel
            white whole width world worry wrist yacht yield youth cat dog sun moon star tree bird fish lake hill
            rose wind snow song book door lamp milk salt ship shoe sock coin cake""").strip().split("\\s+");

    private SyntheticTasks() {
    }

    /** {@code n} examples of the task's split, drawn by the seed. */
    public static List<InstructionExample> generate(Task task, Split split, int n, long seed) {
        if (n < 1) {
            throw new IllegalArgumentException("--n must be >= 1, got " + n);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        List<InstructionExample> out = new ArrayList<>(n);
        while (out.size() < n) {
            Task t = task == Task.MIXED ? (rng.nextBoolean() ? Task.ARITHMETIC : Task.REVERSE) : task;
            InstructionExample e = t == Task.ARITHMETIC ? addition(rng, split) : reversal(rng, split);
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }

    /** An addition of two 2-digit numbers from the split, or null when the draw fell in the other split. */
    private static InstructionExample addition(SplittableRandom rng, Split split) {
        int a = rng.nextInt(10, 100);
        int b = rng.nextInt(10, 100);
        String phrasing = ADDITION[rng.nextInt(ADDITION.length)];
        if (splitOf(a * 100L + b) != split) {
            return null;
        }
        return InstructionExample.of(String.format(Locale.ROOT, phrasing, a, b), Integer.toString(a + b));
    }

    /** A word reversal from the split, or null when the draw fell in the other split. */
    private static InstructionExample reversal(SplittableRandom rng, Split split) {
        String word = WORDS[rng.nextInt(WORDS.length)];
        String phrasing = REVERSAL[rng.nextInt(REVERSAL.length)];
        if (splitOf(word.hashCode()) != split) {
            return null;
        }
        return InstructionExample.of(String.format(Locale.ROOT, phrasing, word), new StringBuilder(word).reverse().toString());
    }

    /** One problem in ten is a dev problem, fixed by a hash of the problem (the same for every seed). */
    static Split splitOf(long problem) {
        long h = problem * 0x9E3779B97F4A7C15L;
        h ^= h >>> 32;
        return Math.floorMod(h, 10) == 0 ? Split.DEV : Split.TRAIN;
    }
}
