/**
 * BERT fine-tuned for a task (Devlin et al. 2018, section 4 and Figure 4): the pooled [CLS]
 * state through a linear classifier, every weight trained, with GPT-1's input transformations
 * written in BERT's tokens ({@code [CLS] a [SEP] b [SEP]}, segments 0 and 1) and the same
 * {@code FineTuner}, data readers, metrics and directories as GPT-1's fine-tuning. Saved as
 * Hugging Face BertForSequenceClassification (or BertForMultipleChoice) directories.
 */
package org.gpt4j.finetune.bert;
