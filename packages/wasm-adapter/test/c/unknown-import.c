/*
 * unknown-import.c — imports and calls env.ocre_frobnicate, which no Ocre host provides, so
 * instantiating the module must fail with a link error before any code runs.
 */
#include <stdio.h>

__attribute__((import_module("env"), import_name("ocre_frobnicate")))
int ocre_frobnicate(int value);

int main(void) {
    printf("ocre_frobnicate returned %d\n", ocre_frobnicate(42));
    return 0;
}
