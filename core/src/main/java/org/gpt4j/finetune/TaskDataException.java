package org.gpt4j.finetune;

import java.io.IOException;
import java.nio.file.Path;

/** A task data file is wrong: the message names the file, the line when there is one, and the problem. */
public class TaskDataException extends IOException {

    public TaskDataException(Path file, long line, String problem) {
        super(file + (line > 0 ? ":" + line : "") + ": " + problem);
    }
}
