package org.gpt4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code gpt4j rl}: reinforcement learning; see its sub-commands. */
@Command(name = "rl", header = "Reinforcement learning with PPO (CartPole).",
        mixinStandardHelpOptions = true,
        description = "Proximal policy optimisation as CleanRL's ppo.py runs it: 'rl cartpole' trains an actor-critic "
                + "on CartPole-v1 (Gymnasium's dynamics) and draws its episodic return curve.",
        subcommands = {RlCartPoleCommand.class, RlPpoCommand.class, RlCompareCommand.class, CommandLine.HelpCommand.class})
final class RlCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
