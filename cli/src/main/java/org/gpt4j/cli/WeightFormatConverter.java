package org.gpt4j.cli;

import org.gpt4j.tensor.WeightFormat;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses {@code --weights f32|bf16|int8}. */
final class WeightFormatConverter implements ITypeConverter<WeightFormat> {

    @Override
    public WeightFormat convert(String value) {
        try {
            return WeightFormat.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
