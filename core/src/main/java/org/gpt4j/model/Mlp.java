package org.gpt4j.model;

/** The position-wise feed-forward network: act(x W_fc + b_fc) W_proj + b_proj. */
final class Mlp {

    private final Linear cFc;
    private final Linear cProj;
    private final Activation activation;
    private float[] pre;
    private float[] act;
    private float[] dact;
    private float[] dpre;

    Mlp(Parameters params, String prefix, GptConfig config, LoraAdapters adapters) {
        this.cFc = new Linear(params, prefix + ".c_fc", config.nEmbd(), config.nInner(), adapters);
        this.cProj = new Linear(params, prefix + ".c_proj", config.nInner(), config.nEmbd(), adapters);
        this.activation = config.activation();
    }

    void forward(float[] y, float[] x, int rows) {
        int n = Buffers.checkedProduct(rows, cFc.out);
        pre = Buffers.atLeast(pre, n);
        act = Buffers.atLeast(act, n);
        cFc.forward(pre, x, rows);
        activation.forward(act, pre, n);
        cProj.forward(y, act, rows);
    }

    /** dx += the gradient of the MLP's input. */
    void backward(float[] dx, float[] dy, float[] x, int rows) {
        int n = rows * cFc.out;
        dact = Buffers.zeroed(dact, n);
        dpre = Buffers.zeroed(dpre, n);
        cProj.backward(dact, dy, act, rows);
        activation.backward(dpre, dact, pre, n);
        cFc.backward(dx, dpre, x, rows);
    }
}
