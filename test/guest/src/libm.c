/*
 * Evaluates libm functions over a spread of inputs and prints every result
 * with %.17g, so that the last bit of each counts.
 */
#include <math.h>
#include <stdio.h>

static const double INPUTS[] = {
    0.0, -0.0, 1e-310, 1e-20, 0.001, 0.1, 0.5, 0.7853981633974483, 1.0, 1.5, 2.0, 2.718281828459045,
    3.141592653589793, 4.5, 10.0, 33.3, 100.0, 710.0, 1e10, 1e22, 1e300,
    -0.3, -1.0, -2.5, -100.0, -745.1, INFINITY, -INFINITY, NAN};

#define COUNT (sizeof INPUTS / sizeof INPUTS[0])

struct unary {
  const char *name;
  double (*fn)(double);
};

static const struct unary UNARY[] = {
    {"sqrt", sqrt}, {"sin", sin}, {"cos", cos}, {"exp", exp}, {"log", log},
    {"floor", floor}, {"ceil", ceil}, {"tan", tan}, {"atan", atan}, {"fabs", fabs},
    {"trunc", trunc}, {"round", round}, {"log10", log10}, {"expm1", expm1}, {"log1p", log1p}};

int main(void) {
  for (size_t f = 0; f < sizeof UNARY / sizeof UNARY[0]; f++) {
    for (size_t i = 0; i < COUNT; i++) {
      printf("%s(%.17g) = %.17g\n", UNARY[f].name, INPUTS[i], UNARY[f].fn(INPUTS[i]));
    }
  }
  for (size_t i = 0; i < COUNT; i += 2) {
    for (size_t j = 1; j < COUNT; j += 3) {
      double x = INPUTS[i], y = INPUTS[j];
      printf("pow(%.17g, %.17g) = %.17g\n", x, y, pow(x, y));
      printf("fmod(%.17g, %.17g) = %.17g\n", x, y, fmod(x, y));
      printf("atan2(%.17g, %.17g) = %.17g\n", x, y, atan2(x, y));
    }
  }

  /* A denser sweep: small steps through ranges where argument reduction works. */
  double acc = 0.0;
  for (int i = -2000; i <= 2000; i++) {
    double x = i * 0.0137;
    acc += sin(x) * cos(x * 0.5) + exp(x * 0.01) - log(fabs(x) + 1.0) + sqrt(fabs(x)) +
           pow(1.0001, x) + atan2(x, 3.0) + fmod(x, 0.7);
    if (i % 250 == 0) printf("sweep %d: %.17g\n", i, acc);
  }
  printf("sweep total: %.17g\n", acc);
  return 0;
}
