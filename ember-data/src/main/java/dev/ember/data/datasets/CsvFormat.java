package dev.ember.data.datasets;

import java.util.List;

/**
 * How to read a CSV file as (features, target) rows.
 *
 * @param delimiter field separator
 * @param header whether the first line names the columns
 * @param labelColumn the target column's name (needs a header) or its 0-based index as text; null for the last column
 * @param regression true: the target is a float (FLOAT32 y); false: a class (INT64 y)
 * @param classes for classification, the class names in label order; null to use integer labels as they are, or, when
 *                the labels are not all integers, their sorted distinct values (in-memory loading only)
 */
public record CsvFormat(char delimiter, boolean header, String labelColumn, boolean regression, List<String> classes) {
    public CsvFormat {
        if (classes != null) classes = List.copyOf(classes);
    }

    /** Comma-separated with a header; classification on the column named {@code labelColumn}. */
    public static CsvFormat labelColumn(String labelColumn) {
        return new CsvFormat(',', true, labelColumn, false, null);
    }

    /** Comma-separated with a header; regression on the column named {@code targetColumn}. */
    public static CsvFormat regressionColumn(String targetColumn) {
        return new CsvFormat(',', true, targetColumn, true, null);
    }

    /** This format with another delimiter. */
    public CsvFormat withDelimiter(char d) {
        return new CsvFormat(d, header, labelColumn, regression, classes);
    }

    /** This format without a header line (then {@code labelColumn} must be an index or null). */
    public CsvFormat withoutHeader() {
        return new CsvFormat(delimiter, false, labelColumn, regression, classes);
    }

    /** This format with fixed class names (label = position in the list). */
    public CsvFormat withClasses(List<String> names) {
        return new CsvFormat(delimiter, header, labelColumn, regression, names);
    }
}
