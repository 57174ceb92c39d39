/**
 * The example as a named module: it compiles against only the packages gpt4j-core exports (the
 * library's surface; the kernels are not among them) and runs on the module path.
 */
module hello.gpt4j {
    requires org.gpt4j.core;
}
