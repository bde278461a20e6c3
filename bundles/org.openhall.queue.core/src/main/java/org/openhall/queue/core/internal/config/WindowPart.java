package org.openhall.queue.core.internal.config;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;

/** Configuration org.openhall.window-&lt;name&gt;: see {@link Ocds.Window}. */
@Component(configurationPid = "org.openhall.window", configurationPolicy = ConfigurationPolicy.REQUIRE, service = {}, immediate = true)
@Designate(ocd = Ocds.Window.class, factory = true)
public final class WindowPart extends PartComponent {

    public WindowPart() {
        super(ConfigParsers::window);
    }
}
