/* How a simulated power cut damages flash: see nvt_flash_tear.h. */
#include "nvt_flash_tear.h"

#include "nvtoken/flash.h"

uint32_t nvt_flash_rand(uint64_t *state)
{
    /* xorshift64* */
    uint64_t x = *state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return (uint32_t)((x * 0x2545F4914F6CDD1DULL) >> 32);
}

uint64_t nvt_flash_rand_seed(uint64_t seed)
{
    uint64_t state = seed ^ 0x9E3779B97F4A7C15ULL;
    return state != 0 ? state : 1;
}

void nvt_flash_tear_begin(nvt_flash_tear_t *t, uint64_t *state, uint32_t unit, int torn)
{
    t->kind = torn ? nvt_flash_rand(state) & 3u : 1u;
    t->left = torn ? nvt_flash_rand(state) % (unit * 8u) : 0u;
}

uint8_t nvt_flash_tear_solid(nvt_flash_tear_t *t, uint64_t *state, uint32_t i, uint8_t clear)
{
    uint8_t solid = t->kind == 0 ? 0 : t->kind == 3 ? (uint8_t)(clear & nvt_flash_rand(state)) : clear;
    if (t->kind == 2) {
        /* The one uncertain bit: the first bit to clear from a random
         * position on (none if nothing is left to clear there). */
        for (uint32_t bit = 0; bit < 8 && t->left != 0xFFFFFFFFu; bit++) {
            if (i * 8u + bit >= t->left && (clear >> bit & 1u)) {
                solid = (uint8_t)(solid & ~(1u << bit));
                t->left = 0xFFFFFFFFu;
            }
        }
    }
    return solid;
}

nvt_flash_tear_erase_t nvt_flash_tear_erase_begin(uint64_t *state)
{
    /* a third each; mostly erased; mostly intact; half erased, half random */
    static const nvt_flash_tear_erase_t profiles[4] = { { 85, 85 }, { 230, 13 }, { 13, 230 }, { 128, 0 } };
    return profiles[nvt_flash_rand(state) & 3u];
}

void nvt_flash_tear_erase_bytes(nvt_flash_tear_erase_t p, uint64_t *state, uint8_t *bytes, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t r = nvt_flash_rand(state);
        uint32_t pick = r & 0xFFu;
        if (pick < p.erased) {
            bytes[i] = NVT_FLASH_ERASED;
        } else if (pick >= (uint32_t)p.erased + p.unchanged) {
            bytes[i] = (uint8_t)(r >> 8);
        }
    }
}
