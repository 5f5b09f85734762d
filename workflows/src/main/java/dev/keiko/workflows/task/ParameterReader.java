package dev.keiko.workflows.task;

import java.util.List;
import java.util.Map;

/** Reads typed values out of a task's JSON-like parameter map, failing with a message that names the parameter. */
final class ParameterReader {

    private final Map<String, Object> parameters;

    ParameterReader(Map<String, Object> parameters) {
        this.parameters = parameters == null ? Map.of() : parameters;
    }

    String requiredString(String name, String meaning) {
        String value = optionalString(name);
        if (value == null || value.isBlank()) {
            throw new InvalidParametersException("'parameters." + name + "' is required: " + meaning);
        }
        return value;
    }

    String optionalString(String name) {
        Object value = parameters.get(name);
        if (value == null || value instanceof String) {
            return (String) value;
        }
        throw new InvalidParametersException("'parameters." + name + "' must be a string");
    }

    Double optionalNumber(String name, double min, double max) {
        Object value = parameters.get(name);
        if (value == null) {
            return null;
        }
        if (!(value instanceof Number number) || number.doubleValue() < min || number.doubleValue() > max) {
            throw new InvalidParametersException("'parameters." + name + "' must be a number from " + min + " to "
                    + max);
        }
        return number.doubleValue();
    }

    Integer optionalInteger(String name, int min, int max) {
        Object value = parameters.get(name);
        if (value == null) {
            return null;
        }
        if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < min
                || ((Number) value).longValue() > max) {
            throw new InvalidParametersException("'parameters." + name + "' must be a whole number from " + min
                    + " to " + max);
        }
        return ((Number) value).intValue();
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> optionalObject(String name) {
        Object value = parameters.get(name);
        if (value == null) {
            return Map.of();
        }
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new InvalidParametersException("'parameters." + name + "' must be a JSON object");
    }

    List<?> optionalList(String name) {
        Object value = parameters.get(name);
        if (value == null) {
            return null;
        }
        if (value instanceof List<?> list) {
            return list;
        }
        throw new InvalidParametersException("'parameters." + name + "' must be a JSON array");
    }
}
