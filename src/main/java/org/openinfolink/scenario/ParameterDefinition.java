package org.openinfolink.scenario;

/**
 * A declared scenario parameter. Immutable.
 *
 * @param name         the parameter's name
 * @param type         its declared type
 * @param required     whether a request must give it
 * @param defaultValue the converted default, or null (then an absent value binds as SQL NULL)
 * @param defaultText  the default as written in the scenario file, for listings; null if none
 */
public record ParameterDefinition(String name, ParameterType type, boolean required, Object defaultValue,
                                  String defaultText) {
}
