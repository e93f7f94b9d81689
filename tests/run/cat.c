/* cat - named like a /bin utility: reads standard input to its end and
 * writes it to standard output, then one line on standard error. */
#include <stdio.h>
#include <unistd.h>
int main(void){ char buf[4096]; ssize_t n; long total=0;
  while((n=read(0,buf,sizeof buf))>0){ write(1,buf,n); total+=n; }
  fprintf(stderr,"cat: %ld bytes\n", total); return 0;}
