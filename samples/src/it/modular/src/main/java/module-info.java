/**
 * A user's module. Its exported package's public API includes generated classes whose members take and return the
 * runtime's types (Tape, Differential), hence requires transitive; GradientCheck reflects on the package, hence opens.
 */
module com.example.orbits {
    requires transitive dev.leibniz;

    exports com.example.orbits;
    opens com.example.orbits to dev.leibniz;
}
