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

#endif
