package org.gpt4j.finetune.instruct;

/** Who speaks a message of a conversation, by the names chat data and templates use. */
public enum Role {
    SYSTEM("system"),
    USER("user"),
    ASSISTANT("assistant");

    private final String jsonName;

    Role(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The role's name in chat data ({@code "role": "user"}) and in Hugging Face templates. */
    public String jsonName() {
        return jsonName;
    }

    /** The role of a name, or null when it is none of system, user, assistant. */
    public static Role fromJsonName(String name) {
        for (Role r : values()) {
            if (r.jsonName.equals(name)) {
                return r;
            }
        }
        return null;
    }
}
