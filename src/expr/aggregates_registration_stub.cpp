namespace sluice {

// Stand-in until the aggregates module (aggregates*.cpp) provides the real registration;
// weak, so the real definition wins when both are linked.
__attribute__((weak)) void RegisterAggregateFunctions() {}

}  // namespace sluice
