package org.gpt4j.evaluate;

/**
 * Accuracy, macro-averaged F1 and the confusion matrix of predicted against gold labels. Macro
 * F1 averages each label's F1 with equal weight (scikit-learn's {@code average="macro"}), so a
 * model that always answers the majority label scores low on it even where its accuracy looks
 * fair; a label never predicted and never present counts as F1 0, as scikit-learn does.
 *
 * @param confusion {@code confusion[gold][predicted]} counts
 */
public record ClassificationMetrics(double accuracy, double macroF1, int n, long[][] confusion) {

    public static ClassificationMetrics of(int[] gold, int[] predicted, int labels) {
        if (gold.length != predicted.length) {
            throw new IllegalArgumentException(gold.length + " gold labels but " + predicted.length + " predictions");
        }
        long[][] confusion = new long[labels][labels];
        long correct = 0;
        for (int i = 0; i < gold.length; i++) {
            confusion[gold[i]][predicted[i]]++;
            if (gold[i] == predicted[i]) {
                correct++;
            }
        }
        double f1Sum = 0;
        for (int l = 0; l < labels; l++) {
            long tp = confusion[l][l];
            long goldCount = 0;
            long predCount = 0;
            for (int k = 0; k < labels; k++) {
                goldCount += confusion[l][k];
                predCount += confusion[k][l];
            }
            f1Sum += goldCount + predCount == 0 ? 0 : 2.0 * tp / (goldCount + predCount);
        }
        int n = gold.length;
        return new ClassificationMetrics(n == 0 ? Double.NaN : (double) correct / n, f1Sum / labels, n, confusion);
    }
}
