/* The file system calls' registration, split over sys_fs.c (descriptors) and sys_path.c (paths). */
#ifndef LX_FS_SYS_FS_H
#define LX_FS_SYS_FS_H

void sys_fs_path_register(void);

#endif
