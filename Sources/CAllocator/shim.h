#ifndef PORTFOLIO_CALLOCATOR_SHIM_H
#define PORTFOLIO_CALLOCATOR_SHIM_H

/* A libc header first: it is what defines __GLIBC__, which the tests below depend on. */
#include <stdlib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

/* Hands memory the allocator holds free back to the system. glibc keeps the high-water mark
   of a burst of allocations (a large poll cycle) mapped otherwise; malloc_trim(0) releases
   every free page, not only the top of the heap. Elsewhere this does nothing. */
static inline int portfolio_release_free_memory(void) {
#ifdef __GLIBC__
  return malloc_trim(0);
#else
  return 0;
#endif
}

/* The server's allocator policy, set once at start. glibc gives each thread that meets a busy
   arena an arena of its own (up to 8 per core), and each arena keeps the free memory of its
   own thread's bursts until a trim; with two, one thread reuses what another freed. (Mapping
   large blocks on their own, M_MMAP_THRESHOLD, lowered the streaming peak further but cost
   the history query a fifth of its time.) Elsewhere this does nothing. */
static inline void portfolio_configure_allocator(void) {
#ifdef __GLIBC__
  mallopt(M_ARENA_MAX, 2);
#endif
}

#endif
