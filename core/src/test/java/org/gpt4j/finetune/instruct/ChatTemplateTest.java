package org.gpt4j.finetune.instruct;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.gpt4j.tokenizer.CharTokenizer;
import org.gpt4j.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;

/** The chat template: which ids a conversation becomes, which positions carry loss, and how replies are read. */
class ChatTemplateTest {

    // ids: '\n'=0 ' '=1 '2'=2 '3'=3 '5'=4 '?'=5 'a'=6 'b'=7 'h'=8 'i'=9 'o'=10 'y'=11; added 12..15
    private static final CharTokenizer CHARS = CharTokenizer.fromText("\n 235?abhioy");
    private static final Tokenizer TOKENIZER = ChatTemplate.addTo(CHARS);
    private static final ChatTemplate T = ChatTemplate.of(TOKENIZER);
    private static final int SYS = 12;
    private static final int USER = 13;
    private static final int ASSISTANT = 14;
    private static final int END = 15;
    private static final int NL = 0;
    private static final int X = -1;

    @Test
    void addsItsFourTokensAfterTheBaseVocabulary() {
        assertThat(TOKENIZER.vocabSize()).isEqualTo(CHARS.vocabSize() + 4);
        assertThat(T.roleToken(Role.SYSTEM)).isEqualTo(SYS);
        assertThat(T.roleToken(Role.USER)).isEqualTo(USER);
        assertThat(T.roleToken(Role.ASSISTANT)).isEqualTo(ASSISTANT);
        assertThat(T.end()).isEqualTo(END);
        assertThat(ChatTemplate.addTo(TOKENIZER)).as("adding twice changes nothing").isSameAs(TOKENIZER);
        assertThat(TOKENIZER.decode(new int[] {USER, 8, 9, END})).isEqualTo("<|user|>hi<|end|>");
        // Text that spells a template token stays text: a message cannot forge a turn.
        assertThat(ChatTemplate.addTo(CharTokenizer.fromText("<|ender>")).encode("<|end|>")).hasSize(7);
    }

    @Test
    void rendersEachMessageAsRoleNewlineContentEndAndTrainsOnTheAssistantOnly() {
        ChatTemplate.Rendered r = T.render(List.of(Message.user(" 2?\n"), Message.assistant("  5 ")));
        //                                  <|user|> \n  2   ?  <|end|> <|assistant|> \n  5  <|end|>
        assertThat(r.tokens()).containsExactly(USER, NL, 2, 5, END, ASSISTANT, NL, 4, END);
        // position i predicts token i + 1; only "5" and the assistant's <|end|> are targets
        assertThat(r.targets()).containsExactly(X, X, X, X, X, X, 4, END, X);
        assertThat(r.trainedTokens()).isEqualTo(2);
    }

    @Test
    void everyAssistantTurnOfAConversationCarriesLossAndNothingElse() {
        List<Message> chat = List.of(Message.system("by"), Message.user("hi"), Message.assistant("oh"),
                Message.user("3?"), Message.assistant("a b"));
        ChatTemplate.Rendered r = T.render(chat);
        assertThat(r.tokens()).containsExactly(SYS, NL, 7, 11, END, USER, NL, 8, 9, END, ASSISTANT, NL, 10, 8, END,
                USER, NL, 3, 5, END, ASSISTANT, NL, 6, 1, 7, END);
        List<Integer> trainedPositions = new ArrayList<>();
        for (int i = 0; i < r.targets().length; i++) {
            if (r.targets()[i] >= 0) {
                assertThat(r.targets()[i]).isEqualTo(r.tokens()[i + 1]);
                trainedPositions.add(i + 1);
            }
        }
        // the tokens learnt: "oh<|end|>" (12..14) and "a b<|end|>" (22..25)
        assertThat(trainedPositions).containsExactly(12, 13, 14, 22, 23, 24, 25);
    }

    @Test
    void thePromptIsTheRenderedContextThenTheAssistantTokenAndANewline() {
        List<Message> chat = List.of(Message.user("hi"), Message.assistant("oh"), Message.user("3?"), Message.assistant("ab"));
        int[] rendered = T.render(chat).tokens();
        int[] prompt = T.prompt(chat.subList(0, 3));
        assertThat(prompt).containsExactly(java.util.Arrays.copyOf(rendered, prompt.length));
        assertThat(prompt).endsWith(ASSISTANT, NL);
        assertThat(T.prompt(List.of())).containsExactly(ASSISTANT, NL);
    }

    @Test
    void aReplyIsItsTextUpToTheEndToken() {
        assertThat(T.replyText(new int[] {1, 6, 7, END})).isEqualTo("ab");
        assertThat(T.replyText(new int[] {6, END, 7})).isEqualTo("a");
        assertThat(T.replyText(new int[] {6, 0, 7})).as("cut off by max_new_tokens").isEqualTo("a\nb");
        assertThat(T.endOfTurn()).isEqualTo(OptionalInt.of(END));
        assertThat(T.stopStrings()).isEmpty();
    }

    @Test
    void stripsAsPythonDoes() {
        assertThat(ChatFormat.strip("\u00a0\u0085 x y\u3000\t")).isEqualTo("x y");
        assertThat(ChatFormat.strip("\u200b x")).as("a zero-width space is not whitespace in Python").isEqualTo("\u200b x");
        assertThat(ChatFormat.strip("")).isEmpty();
    }

    @Test
    void theOldestMessagesLeaveAPromptThatOutgrowsItsBudget() {
        List<Message> chat = List.of(Message.system("by"), Message.user("hi"), Message.assistant("oh"), Message.user("3?"));
        int full = T.prompt(chat).length;
        assertThat(T.promptWithin(chat, full)).containsExactly(T.prompt(chat));
        // the system message stays; "hi" and then "oh" leave
        assertThat(T.promptWithin(chat, full - 1)).containsExactly(T.prompt(List.of(chat.get(0), chat.get(2), chat.get(3))));
        assertThat(T.promptWithin(chat, 1)).containsExactly(T.prompt(List.of(chat.get(0), chat.get(3))));
    }

    @Test
    void aTokenizerWithoutTheTemplateOrANewlineIsRefused() {
        assertThatThrownBy(() -> ChatTemplate.of(CHARS)).hasMessageContaining("no <|system|> token");
        assertThatThrownBy(() -> ChatTemplate.of(ChatTemplate.addTo(CharTokenizer.fromText("ab"))))
                .hasMessageContaining("newline");
    }

    @Test
    void thePlainTranscriptIsWhatChatAlwaysSent() {
        CharTokenizer chars = CharTokenizer.fromText("System: be\nUser: at\nAssistant: me");
        PlainTranscript plain = new PlainTranscript(chars, OptionalInt.empty());
        List<Message> chat = List.of(Message.system("be"), Message.user(" at "), Message.assistant("me"), Message.user("tea"));
        assertThat(chars.decode(plain.prompt(chat))).isEqualTo("System: be\nUser: at\nAssistant: me\nUser: tea\nAssistant:");
        assertThat(plain.stopStrings()).containsExactly("\n");
        assertThat(plain.replyText(chars.encode(" tea\nUser"))).isEqualTo("tea");
    }
}
