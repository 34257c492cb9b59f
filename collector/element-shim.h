/* SHIM until elements-core: tt_element_role_is_control */
#include <string.h>
static inline bool
tt_element_role_is_control(const char *role)
{
	static const char *const c[] = { "push button", "toggle button", "menu item",
		"check menu item", "radio menu item", "menu", "page tab", "check box",
		"radio button", "combo box", "label", "spin button", "slider", NULL };
	for (int i = 0; c[i]; i++)
		if (strcmp(role, c[i]) == 0)
			return true;
	return false;
}
