/* numbers - math functions, strtod and sscanf, as a unit converter
 * would use them. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    const double xs[] = {0.0, 0.5, 1.0, 2.0, 10.0, 123.456};
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
        double x = xs[i];
        printf("x=%g sqrt=%.6f exp=%.6e log1p=%.6f sin=%.6f cos=%.6f "
               "atan2=%.6f\n", x, sqrt(x), exp(x), log1p(x), sin(x), cos(x),
               atan2(x, 1.0));
    }
    printf("pow %.3f fmod %.3f hypot %.3f\n", pow(2.0, 0.5), fmod(10.5, 3.0),
           hypot(3.0, 4.0));
    printf("floor %.1f ceil %.1f round %.1f trunc %.1f\n", floor(-2.5),
           ceil(-2.5), round(-2.5), trunc(-2.5));
    printf("inf %f nan %f isnan %d\n", INFINITY, NAN, isnan(NAN));

    const char *inputs[] = {"3.14159", "-2.5e3", "0x1p4", "  42abc", "inf", "1e400"};
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        char *end;
        double v = strtod(inputs[i], &end);
        printf("strtod(\"%s\") = %g, rest \"%s\"\n", inputs[i], v, end);
    }
    int a, n;
    double b;
    char word[16];
    unsigned hex;
    int got = sscanf("12 3.5 abc 0x1f", "%d %lf %15s %x%n", &a, &b, word, &hex, &n);
    printf("sscanf: %d fields: %d %.2f %s %u (consumed %d)\n", got, a, b, word,
           hex, n);
    long l = strtol("-0777", NULL, 0);
    unsigned long u = strtoul("ffff", NULL, 16);
    printf("strtol %ld strtoul %lu atoi %d\n", l, u, atoi("  -17x"));
    return 0;
}
